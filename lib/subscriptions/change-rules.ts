/**
 * What a customer may change on a subscription, and seat-count validation. Pure functions shared
 * by the pages (to show or hide controls) and the server (to refuse), no server-only imports.
 */
export interface SubscriptionForRules {
  status: "NotStarted" | "PendingFulfillmentStart" | "Subscribed" | "Suspended" | "Unsubscribed";
  allowedCustomerOperations: string[];
}

export type ChangeKind = "plan" | "quantity" | "cancel";

export type Permission = { allowed: true } | { allowed: false; reason: string };

const CSP_NOTE =
  "This subscription is managed by the Microsoft partner (CSP) who bought it: ask them to change or cancel it.";

export function customerPermission(subscription: SubscriptionForRules, kind: ChangeKind): Permission {
  const operation = kind === "cancel" ? "Delete" : "Update";
  if (!subscription.allowedCustomerOperations.includes(operation)) return { allowed: false, reason: CSP_NOTE };
  switch (subscription.status) {
    case "Subscribed":
      return { allowed: true };
    case "Suspended":
      return kind === "cancel"
        ? { allowed: true }
        : {
            allowed: false,
            reason:
              "The subscription is suspended because of a payment problem. Settle the payment in the Azure portal or Microsoft 365 admin center; changes are possible again once it is reinstated.",
          };
    case "Unsubscribed":
      return { allowed: false, reason: "The subscription is cancelled; nothing can be changed any more." };
    default:
      return { allowed: false, reason: "Activate the subscription first." };
  }
}

export interface SeatLimits {
  isPricePerSeat: boolean;
  minQuantity?: number | null;
  maxQuantity?: number | null;
}

export type SeatValidation = { ok: true; quantity: number } | { ok: false; message: string };

/** Seats from a form field: a whole number within the plan's limits. */
export function validateSeatCount(raw: unknown, plan: SeatLimits, current?: number | null): SeatValidation {
  if (!plan.isPricePerSeat) return { ok: false, message: "This plan has a flat price: it has no seats to change." };
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : "";
  if (!/^\d{1,7}$/.test(text)) return { ok: false, message: "Enter the number of seats as a whole number, like 10." };
  const quantity = Number(text);
  const min = plan.minQuantity ?? 1;
  const max = plan.maxQuantity ?? 1_000_000;
  if (quantity < min) return { ok: false, message: `This plan needs at least ${min} seat${min === 1 ? "" : "s"}.` };
  if (quantity > max)
    return { ok: false, message: `This plan allows at most ${max} seats. For more, choose a larger plan.` };
  if (current !== undefined && current !== null && quantity === current)
    return { ok: false, message: `You already have ${quantity} seats.` };
  return { ok: true, quantity };
}
