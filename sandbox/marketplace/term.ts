/**
 * Term dates. marketplace-contract.md §4.3/§5.3: `term.endDate` is the last valid day of the term and renewal
 * happens the next day, so end = start + term − 1 day. Dates are UTC midnights.
 *
 * Term units are open (§15.12): a subscription may carry any text the control API set (e.g. `PAY`).
 * Only the documented units have a length; for another one the sandbox computes no end date
 * of its own, and a renewal repeats the length of the current term when both its dates are known.
 */
import type { StoredSubscription, TermUnit } from "./model";

const MONTHS: Record<TermUnit, number> = { P1M: 1, P1Y: 12, P2Y: 24, P3Y: 36, P4Y: 48, P5Y: 60 };
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TermDates {
  startDate: string;
  /** Absent when the unit has no known length. */
  endDate?: string;
}

/** Months in one term of `unit`, or undefined for a unit outside the documented list. */
export function termMonths(unit: string): number | undefined {
  return Object.hasOwn(MONTHS, unit) ? MONTHS[unit as TermUnit] : undefined;
}

/** The term that starts on the day of `activatedAt` (an unknown unit gives no end date). */
export function termDates(activatedAt: Date, unit: string): TermDates {
  const start = utcMidnight(activatedAt);
  const months = termMonths(unit);
  if (months === undefined) return { startDate: isoDateTime(start) };
  const end = addMonthsClamped(new Date(start), months).getTime() - DAY_MS;
  return { startDate: isoDateTime(start), endDate: isoDateTime(end) };
}

/**
 * The term after the current one (§4.3: renewal happens the day after `endDate`): one term of
 * `unit`, or, for an unknown unit, as many days as the current term. Undefined when that cannot
 * be known (unknown unit and no start date, or a date that is not a date).
 */
export function nextTerm(
  current: { startDate?: string | undefined; endDate: string },
  unit: string,
): TermDates | undefined {
  const end = Date.parse(current.endDate);
  if (Number.isNaN(end)) return undefined;
  const nextStart = new Date(utcMidnight(new Date(end)) + DAY_MS);
  if (termMonths(unit) !== undefined) return termDates(nextStart, unit);
  const start = current.startDate === undefined ? Number.NaN : Date.parse(current.startDate);
  if (Number.isNaN(start) || start > end) return undefined;
  const lengthMs = utcMidnight(new Date(end)) - utcMidnight(new Date(start));
  return { startDate: isoDateTime(nextStart.getTime()), endDate: isoDateTime(nextStart.getTime() + lengthMs) };
}

/** Puts a term on the subscription (no end date when its unit has no known length). */
export function setTermDates(subscription: StoredSubscription, dates: TermDates): void {
  subscription.termStartDate = dates.startDate;
  if (dates.endDate === undefined) delete subscription.termEndDate;
  else subscription.termEndDate = dates.endDate;
}

/** Jan 31 + 1 month = Feb 28/29 (not Mar 3, as Date's overflow would give). */
function addMonthsClamped(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)));
}

function utcMidnight(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** `2025-01-15T00:00:00Z`: the OpenAPI types term dates as date-time. */
function isoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** "1 month", "3 years"; an unknown unit is shown as it is. */
export function termDescription(unit: string): string {
  const months = termMonths(unit);
  if (months === undefined) return unit;
  if (months === 1) return "1 month";
  const years = months / 12;
  return years === 1 ? "1 year" : `${years} years`;
}

/** "month", "year", "3 years" (for "per …" and "for …" phrases); an unknown unit as it is. */
export function termPeriodName(unit: string): string {
  const months = termMonths(unit);
  if (months === 1) return "month";
  if (months === 12) return "year";
  return termDescription(unit);
}
