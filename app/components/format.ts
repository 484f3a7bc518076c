/**
 * How the customer pages write days and dates of a term, in the reader's language: one place, so
 * every page says them the same way. Takes the page's formatter (`getFormatter()` in a server
 * component, `useFormatter()` in a client one), so it works on both sides.
 */
import type { createFormatter } from "next-intl";

type Format = ReturnType<typeof createFormatter>;

/** A term's calendar day (UTC: term dates are calendar days): "November 25, 2026", "2026年11月25日"; "—" when there is none. */
export function formatDay(format: Format, value: Date | string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : format.dateTime(date, "day");
}

/** The day a subscription renews (the day after its term ends) or, without auto-renewal, the day it ends. */
export function renewalOrEndDay(subscription: { termEndDate: Date | null; autoRenew: boolean }): Date | null {
  if (!subscription.termEndDate) return null;
  return new Date(subscription.termEndDate.getTime() + (subscription.autoRenew ? 86_400_000 : 0));
}
