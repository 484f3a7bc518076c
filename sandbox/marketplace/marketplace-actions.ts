/**
 * What the customer (or Microsoft) does to a subscription on Microsoft's side: the Azure portal /
 * Microsoft 365 admin center changes plan or seats, cancels, and Microsoft suspends, reinstates
 * and renews (marketplace-contract.md §4.2, §4.6, §8.2). Validated the way Microsoft would before anything happens:
 * each problem is an HttpError (400 for a request that cannot apply, 409 while another
 * operation of the subscription is pending).
 */
import { z } from "zod";
import type { Catalog } from "../types";
import { findPlan } from "./catalog";
import { type StoredOperation, type StoredSubscription, type SubscriptionStatus } from "./model";
import type { OperationRequest } from "./operations";
import { badRequest, planChange, quantityChange, requireNoPendingOperation } from "./subscription-rules";
import { nextTerm } from "./term";

/** What the customer or Microsoft can start on a subscription (`Subscribe` only comes from a purchase). */
export const marketplaceActionNameSchema = z.enum([
  "ChangePlan",
  "ChangeQuantity",
  "Suspend",
  "Reinstate",
  "Unsubscribe",
  "Renew",
]);

export const marketplaceActionSchema = z.object({
  action: marketplaceActionNameSchema,
  planId: z.string().trim().min(1).optional(),
  quantity: z.number().int().optional(),
  /** `drop`: apply the change but never send the webhook (a lost webhook, for reconciliation tests). */
  deliver: z.enum(["normal", "drop"]).optional(),
});
export type MarketplaceActionBody = z.infer<typeof marketplaceActionSchema>;

/** The states each action can start from (§8.2). */
const ALLOWED_FROM: Record<MarketplaceActionBody["action"], readonly SubscriptionStatus[]> = {
  ChangePlan: ["Subscribed"],
  ChangeQuantity: ["Subscribed"],
  Suspend: ["Subscribed"],
  Reinstate: ["Suspended"],
  Renew: ["Subscribed"],
  Unsubscribe: ["Subscribed", "Suspended", "PendingFulfillmentStart"],
};

export function checkMarketplaceAction(
  subscription: StoredSubscription,
  body: MarketplaceActionBody,
  catalog: Catalog,
  operations: StoredOperation[],
): OperationRequest {
  const { action } = body;
  if (subscription.status === "Unsubscribed") {
    throw badRequest(`The subscription is Unsubscribed; that is final, so ${action} is not possible.`);
  }
  const allowed = ALLOWED_FROM[action];
  if (!allowed.includes(subscription.status)) {
    throw badRequest(
      `${action} needs a subscription that is ${allowed.join(" or ")}; this one is ${subscription.status}.`,
    );
  }
  if (action !== "ChangePlan" && body.planId !== undefined) throw badRequest(`${action} takes no planId.`);
  if (action !== "ChangePlan" && action !== "ChangeQuantity" && body.quantity !== undefined)
    throw badRequest(`${action} takes no quantity.`);
  requireNoPendingOperation(operations);

  switch (action) {
    case "ChangePlan":
      return changePlan(subscription, body, catalog);
    case "ChangeQuantity":
      if (body.quantity === undefined) throw badRequest("ChangeQuantity needs a quantity (the new seat count).");
      return quantityChange(subscription, body.quantity, catalog);
    case "Renew":
      if (!subscription.termEndDate)
        throw badRequest("The subscription has no term end date; only an activated subscription with a term renews.");
      if (
        !nextTerm({ startDate: subscription.termStartDate, endDate: subscription.termEndDate }, subscription.termUnit)
      ) {
        throw badRequest(
          `The term unit "${subscription.termUnit}" has no known length and the term has no usable start date, so the next term cannot be computed; set startDate with POST /sandbox-api/subscriptions/{id}/term.`,
        );
      }
      return current(subscription, action);
    default:
      return current(subscription, action);
  }
}

/** The customer picks a plan and, for a per-seat plan, may pick the seats in the same step. */
function changePlan(subscription: StoredSubscription, body: MarketplaceActionBody, catalog: Catalog): OperationRequest {
  if (body.planId === undefined) throw badRequest("ChangePlan needs a planId (the new plan).");
  const request = planChange(subscription, body.planId, catalog);
  if (body.quantity === undefined) return request;
  const plan = findPlan(catalog, subscription.offerId, body.planId);
  if (!plan?.isPricePerSeat) throw badRequest(`Plan "${body.planId}" is a flat-rate plan; it takes no quantity.`);
  const min = plan.minQuantity ?? 1;
  const max = plan.maxQuantity ?? Number.MAX_SAFE_INTEGER;
  if (body.quantity < min || body.quantity > max) {
    throw badRequest(`Quantity ${body.quantity} is outside the range ${min}–${max} of plan "${plan.planId}".`);
  }
  return { ...request, quantity: body.quantity };
}

function current(subscription: StoredSubscription, action: OperationRequest["action"]): OperationRequest {
  return { action, planId: subscription.planId, quantity: subscription.quantity };
}
