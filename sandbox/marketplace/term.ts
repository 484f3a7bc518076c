/**
 * Term dates. marketplace-contract.md §4.3/§5.3: `term.endDate` is the last valid day of the term and renewal
 * happens the next day, so end = start + term − 1 day. Dates are UTC midnights.
 */
import type { TermUnit } from "./model";

const MONTHS: Record<TermUnit, number> = { P1M: 1, P1Y: 12, P2Y: 24, P3Y: 36, P4Y: 48, P5Y: 60 };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TermDates {
  startDate: string;
  endDate: string;
}

export function termDates(activatedAt: Date, unit: TermUnit): TermDates {
  const start = Date.UTC(activatedAt.getUTCFullYear(), activatedAt.getUTCMonth(), activatedAt.getUTCDate());
  const end = addMonthsClamped(new Date(start), MONTHS[unit]).getTime() - DAY_MS;
  return { startDate: isoDateTime(start), endDate: isoDateTime(end) };
}

/** The term after the one that ends on `endDate` (§4.3: renewal happens the day after). */
export function nextTerm(endDate: string, unit: TermUnit): TermDates {
  return termDates(new Date(Date.parse(endDate) + DAY_MS), unit);
}

/** Jan 31 + 1 month = Feb 28/29 (not Mar 3, as Date's overflow would give). */
function addMonthsClamped(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)));
}

/** `2025-01-15T00:00:00Z`: the OpenAPI types term dates as date-time. */
function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

export function termDescription(unit: TermUnit): string {
  const months = MONTHS[unit];
  if (months === 1) return "1 month";
  const years = months / 12;
  return years === 1 ? "1 year" : `${years} years`;
}
