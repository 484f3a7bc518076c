/** How the customer pages write dates and changes (one place, so every page says them the same way). */

/** "25 November 2026" (UTC: term dates are calendar days); "—" when there is none. */
export function formatDay(value: Date | string | null | undefined): string {
  if (!value) return "—";
  return new Date(value).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}

/** The day a subscription renews (the day after its term ends) or, without auto-renewal, the day it ends. */
export function renewalOrEndDay(subscription: { termEndDate: Date | null; autoRenew: boolean }): Date | null {
  if (!subscription.termEndDate) return null;
  return new Date(subscription.termEndDate.getTime() + (subscription.autoRenew ? 86_400_000 : 0));
}

/** A change in progress or just finished, in words. */
export const changeNames: Record<string, string> = {
  ChangePlan: "Plan change",
  ChangeQuantity: "Seat change",
  Unsubscribe: "Cancellation",
  Reinstate: "Reinstatement",
};
