/**
 * What a customer may change on a subscription, and seat-count validation. Pure functions shared
 * by the pages (to show or hide controls) and the server (to refuse), no server-only imports.
 */
export interface SubscriptionForRules {
  status: "NotStarted" | "PendingFulfillmentStart" | "Subscribed" | "Suspended" | "Unsubscribed";
  allowedCustomerOperations: string[];
}

export type ChangeKind = "plan" | "quantity" | "cancel";

/**
 * Why a change is not possible, as a code the page words in the reader's language
 * (`permissionWords`, lib/subscriptions/subscription-words.ts):
 * - `csp`: bought by a Microsoft partner (CSP), who changes or cancels it (allowedCustomerOperations);
 * - `suspended`: a payment problem; changes are possible again once it is reinstated;
 * - `cancelled`: nothing can be changed any more;
 * - `not-active`: it waits for activation.
 */
export type PermissionReason = "csp" | "suspended" | "cancelled" | "not-active";

export type Permission = { allowed: true } | { allowed: false; reason: PermissionReason };

export function customerPermission(subscription: SubscriptionForRules, kind: ChangeKind): Permission {
  const operation = kind === "cancel" ? "Delete" : "Update";
  if (!subscription.allowedCustomerOperations.includes(operation)) return { allowed: false, reason: "csp" };
  switch (subscription.status) {
    case "Subscribed":
      return { allowed: true };
    case "Suspended":
      return kind === "cancel" ? { allowed: true } : { allowed: false, reason: "suspended" };
    case "Unsubscribed":
      return { allowed: false, reason: "cancelled" };
    default:
      return { allowed: false, reason: "not-active" };
  }
}

export interface SeatLimits {
  isPricePerSeat: boolean;
  minQuantity?: number | null;
  maxQuantity?: number | null;
}

/** Why a seat count is refused, as data (the words: `seatRefusalWords`, in the reader's language). */
export type SeatRefusal =
  | { code: "flat-price" }
  | { code: "not-whole" }
  | { code: "below-minimum"; min: number }
  | { code: "above-maximum"; max: number }
  | { code: "unchanged"; seats: number };

export type SeatValidation = { ok: true; quantity: number } | { ok: false; refusal: SeatRefusal };

/** Seats from a form field: a whole number within the plan's limits. */
export function validateSeatCount(raw: unknown, plan: SeatLimits, current?: number | null): SeatValidation {
  if (!plan.isPricePerSeat) return { ok: false, refusal: { code: "flat-price" } };
  const text = typeof raw === "number" ? String(raw) : typeof raw === "string" ? raw.trim() : "";
  if (!/^\d{1,7}$/.test(text)) return { ok: false, refusal: { code: "not-whole" } };
  const quantity = Number(text);
  const min = plan.minQuantity ?? 1;
  const max = plan.maxQuantity ?? 1_000_000;
  if (quantity < min) return { ok: false, refusal: { code: "below-minimum", min } };
  if (quantity > max) return { ok: false, refusal: { code: "above-maximum", max } };
  if (current !== undefined && current !== null && quantity === current)
    return { ok: false, refusal: { code: "unchanged", seats: quantity } };
  return { ok: true, quantity };
}
