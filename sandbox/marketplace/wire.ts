/** The JSON shapes the Fulfillment API returns, from stored state (OpenAPI schemas, marketplace-contract.md §5). */
import type { CatalogPlan } from "../types";
import type { StoredOperation, StoredSubscription } from "./model";
import { termDescription } from "./term";

export function subscriptionResource(s: StoredSubscription) {
  return {
    id: s.id,
    publisherId: s.publisherId,
    offerId: s.offerId,
    name: s.name,
    saasSubscriptionStatus: s.status,
    beneficiary: { ...s.beneficiary },
    purchaser: { ...s.purchaser },
    planId: s.planId,
    // §5.1: quantity is only present for per-seat plans.
    ...(s.quantity !== undefined ? { quantity: s.quantity } : {}),
    term: {
      termUnit: s.termUnit,
      // §4.3: the dates only mean something once the subscription has been activated.
      ...(s.termStartDate ? { startDate: s.termStartDate } : {}),
      ...(s.termEndDate ? { endDate: s.termEndDate } : {}),
      // Added to the OpenAPI in 2025; null in every sample seen (§5.3), the plan's or the control API's value when set.
      chargeDuration: s.chargeDuration ?? null,
    },
    autoRenew: s.autoRenew,
    isTest: s.isTest,
    isFreeTrial: s.isFreeTrial,
    allowedCustomerOperations: [...s.allowedCustomerOperations],
    sandboxType: s.sandboxType,
    sessionMode: s.sessionMode,
    created: s.created,
    // Deprecated and gone from the OpenAPI, but still in Microsoft's JSON (§5.1).
    lastModified: s.lastModified,
  };
}
export type SubscriptionResource = ReturnType<typeof subscriptionResource>;

export function resolvedSubscriptionResource(s: StoredSubscription) {
  return {
    id: s.id,
    subscriptionName: s.name,
    offerId: s.offerId,
    planId: s.planId,
    ...(s.quantity !== undefined ? { quantity: s.quantity } : {}),
    subscription: subscriptionResource(s),
  };
}

/** `SaaSOperation` plus the docs' `errorStatusCode`/`errorMessage` (empty strings when none, as in the samples). */
export function operationResource(o: StoredOperation) {
  return {
    id: o.id,
    activityId: o.activityId,
    subscriptionId: o.subscriptionId,
    offerId: o.offerId,
    publisherId: o.publisherId,
    planId: o.planId,
    ...(o.quantity !== undefined ? { quantity: o.quantity } : {}),
    action: o.action,
    timeStamp: o.timeStamp,
    status: o.status,
    errorStatusCode: o.errorStatusCode,
    errorMessage: o.errorMessage,
  };
}

/** Actions whose webhook says `InProgress` and that the ISV may acknowledge (§7.4, §8.3). */
export const ACKNOWLEDGED_ACTIONS: ReadonlySet<string> = new Set(["ChangePlan", "ChangeQuantity", "Reinstate"]);

/**
 * The webhook body (§8.3): the operation's target plan/quantity at the top level and a
 * snapshot of the subscription as it is when the webhook is raised, so for InProgress changes
 * it still shows the old plan/quantity (and a Reinstate still shows Suspended). `status` says
 * whether the publisher's answer is awaited (`InProgress`: ChangePlan, ChangeQuantity,
 * Reinstate) or the change is done (`Succeeded`); a caller that applied an action at once
 * (variant notify-only-reinstate) says so.
 */
export function webhookPayload(
  o: StoredOperation,
  snapshot: StoredSubscription,
  status: "InProgress" | "Succeeded" = ACKNOWLEDGED_ACTIONS.has(o.action) ? "InProgress" : "Succeeded",
) {
  return {
    id: o.id,
    activityId: o.activityId,
    publisherId: o.publisherId,
    offerId: o.offerId,
    planId: o.planId,
    // "Empty when not relevant": flat-rate plans have no seat count.
    ...(o.quantity !== undefined ? { quantity: o.quantity } : {}),
    subscriptionId: o.subscriptionId,
    timeStamp: o.timeStamp,
    action: o.action,
    status,
    operationRequestSource: o.source,
    subscription: subscriptionResource(snapshot),
    purchaseToken: null,
  };
}
export type WebhookPayload = ReturnType<typeof webhookPayload>;

/** Catalog prices are in USD; the sandbox has a single market. */
const CURRENCY = "USD";

export function planResource(plan: CatalogPlan) {
  return {
    planId: plan.planId,
    displayName: plan.displayName,
    isPrivate: false,
    description: plan.description,
    ...(plan.isPricePerSeat ? { minQuantity: plan.minQuantity ?? 1, maxQuantity: plan.maxQuantity ?? 1_000_000 } : {}),
    hasFreeTrials: plan.hasFreeTrials ?? false,
    isPricePerSeat: plan.isPricePerSeat,
    isStopSell: false,
    market: "US",
    planComponents: {
      recurrentBillingTerms: [
        {
          currency: CURRENCY,
          price: plan.price,
          termUnit: plan.termUnit,
          termDescription: termDescription(plan.termUnit),
          meteredQuantityIncluded: [],
        },
      ],
      meteringDimensions: plan.meteringDimensions.map((d) => ({
        id: d.id,
        currency: CURRENCY,
        pricePerUnit: d.pricePerUnit,
        unitOfMeasure: d.unitOfMeasure,
        displayName: d.displayName,
      })),
    },
    // Only set for purchases made through a private offer, which the sandbox does not have.
    sourceOffers: [],
  };
}
