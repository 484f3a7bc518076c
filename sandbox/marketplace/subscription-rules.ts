/**
 * The rules Microsoft applies to Activate and to PATCH/DELETE subscription (marketplace-contract.md §6.2, §6.6–§6.8).
 * Each check throws an HttpError with the status Microsoft documents; the order of the checks
 * decides which error a request with several problems gets.
 */
import type { Catalog, CatalogPlan } from "../types";
import { findPlan } from "./catalog";
import { HttpError } from "./http-error";
import type { CustomerOperation, StoredOperation, StoredSubscription } from "./model";
import type { OperationRequest } from "./operations";
import { setTermDates, termDates } from "./term";

export interface SubscriberPlan {
  planId?: string | undefined;
  quantity?: number | undefined;
}

/** Turns a subscription whose delayed activation is due into `Subscribed`. Returns true when it changed. */
export function completeDueActivation(subscription: StoredSubscription, now: Date): boolean {
  if (!subscription.activationDueAt || Date.parse(subscription.activationDueAt) > now.getTime()) return false;
  delete subscription.activationDueAt;
  if (subscription.status === "PendingFulfillmentStart") {
    subscription.status = "Subscribed";
    subscription.lastModified = now.toISOString();
  }
  return true;
}

/**
 * Validates an Activate call. Returns "already-active" for an idempotent repeat, "activate" when
 * the subscription must be activated now.
 */
export function checkActivation(
  subscription: StoredSubscription,
  body: SubscriberPlan,
  catalog: Catalog,
): "already-active" | "activate" {
  if (subscription.status === "Suspended") throw badRequest("The subscription is Suspended and cannot be activated.");
  if (body.planId !== subscription.planId) {
    throw badRequest(`planId must be the purchased plan "${subscription.planId}" (activation does not change plans).`);
  }
  const plan = findPlan(catalog, subscription.offerId, subscription.planId);
  if (plan?.isPricePerSeat && body.quantity !== subscription.quantity) {
    throw badRequest(`quantity must be the purchased quantity ${String(subscription.quantity)}.`);
  }
  // Repeating Activate (also while a delayed activation is pending) is harmless: 200 again.
  return subscription.status === "Subscribed" || subscription.activationDueAt ? "already-active" : "activate";
}

/** Marks the subscription activated now, or at `now + delayMs` (§6.2: activation is async). */
export function activate(subscription: StoredSubscription, now: Date, delayMs: number): void {
  setTermDates(subscription, termDates(now, subscription.termUnit));
  subscription.lastModified = now.toISOString();
  if (delayMs > 0) subscription.activationDueAt = new Date(now.getTime() + delayMs).toISOString();
  else subscription.status = "Subscribed";
}

export function requireAllowed(subscription: StoredSubscription, operation: CustomerOperation): void {
  if (!subscription.allowedCustomerOperations.includes(operation)) {
    throw badRequest(
      `"${operation}" is not in allowedCustomerOperations of this subscription` +
        (subscription.sandboxType === "Csp"
          ? " (a CSP purchase: the reseller manages it; marketplace-contract.md §12)."
          : "."),
    );
  }
}

export function requireSubscribed(subscription: StoredSubscription): void {
  if (subscription.status !== "Subscribed") {
    throw badRequest(`Only Subscribed subscriptions can change plan or quantity; this one is ${subscription.status}.`);
  }
}

/** §6.8: 409 while an earlier operation is still pending; one operation at a time. */
export function requireNoPendingOperation(operations: StoredOperation[]): void {
  const pending = operations.find((o) => o.status === "InProgress");
  if (pending) {
    throw new HttpError(
      409,
      "Conflict",
      `The subscription is locked by pending operation ${pending.id} (${pending.action}); wait until it completes or acknowledge it.`,
    );
  }
}

/** Validates a PATCH subscription body against the subscription and its offer (§6.6, §6.7). */
export function planOrQuantityChange(
  subscription: StoredSubscription,
  body: SubscriberPlan,
  catalog: Catalog,
): OperationRequest {
  // The OpenAPI allows both at once; the docs allow exactly one per call and so does the sandbox.
  if (body.planId !== undefined && body.quantity !== undefined)
    throw badRequest("Change either planId or quantity, not both in one call.");
  if (body.planId !== undefined) return planChange(subscription, body.planId, catalog);
  if (body.quantity !== undefined) return quantityChange(subscription, body.quantity, catalog);
  throw badRequest("The body must contain planId or quantity.");
}

export function planChange(subscription: StoredSubscription, planId: string, catalog: Catalog): OperationRequest {
  if (planId === subscription.planId) {
    throw badRequest(`The subscription is already on plan "${planId}"; a plan change needs a different plan.`);
  }
  const plan = findPlan(catalog, subscription.offerId, planId);
  if (!plan) throw badRequest(`Plan "${planId}" is not a plan of offer "${subscription.offerId}".`);
  return {
    action: "ChangePlan",
    planId,
    quantity: plan.isPricePerSeat ? seatsOnNewPlan(subscription, plan) : undefined,
  };
}

/** Seats carry over to a per-seat plan, moved into its range; a flat → per-seat change starts at the minimum. */
export function seatsOnNewPlan(subscription: StoredSubscription, plan: CatalogPlan): number {
  const min = plan.minQuantity ?? 1;
  const max = plan.maxQuantity ?? Number.MAX_SAFE_INTEGER;
  return Math.min(max, Math.max(min, subscription.quantity ?? min));
}

export function quantityChange(subscription: StoredSubscription, quantity: number, catalog: Catalog): OperationRequest {
  const plan = findPlan(catalog, subscription.offerId, subscription.planId);
  if (!plan?.isPricePerSeat)
    throw badRequest(`Plan "${subscription.planId}" is a flat-rate plan; it has no quantity to change.`);
  const min = plan.minQuantity ?? 1;
  const max = plan.maxQuantity ?? Number.MAX_SAFE_INTEGER;
  if (quantity < min || quantity > max) {
    throw badRequest(`Quantity ${quantity} is outside the plan's range ${min}–${max}; change plan to go beyond it.`);
  }
  if (quantity === subscription.quantity) throw badRequest(`The subscription already has ${quantity} seats.`);
  return { action: "ChangeQuantity", planId: subscription.planId, quantity };
}

export function checkDeletion(subscription: StoredSubscription): OperationRequest {
  if (subscription.status === "Unsubscribed") throw badRequest("The subscription is already Unsubscribed.");
  return { action: "Unsubscribe", planId: subscription.planId, quantity: subscription.quantity };
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, "BadRequest", message);
}
