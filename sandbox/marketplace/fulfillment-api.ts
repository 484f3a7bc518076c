/** SaaS Fulfillment API v2, subscription endpoints (OpenAPI `FulfillmentOperations_*`, marketplace-contract.md §6). */
import { z } from "zod";
import type { ApiCall, ApiResult, ApiRoute } from "./api-gateway";
import type { MarketplaceContext } from "./context";
import { findOffer } from "./catalog";
import { HttpError, parseJsonBody } from "./http-error";
import { API_VERSION, type StoredOperation, type StoredSubscription } from "./model";
import { hashPurchaseToken, malformedTokenReason } from "./purchase-token";
import {
  activate,
  checkActivation,
  checkDeletion,
  planOrQuantityChange,
  requireAllowed,
  requireNoPendingOperation,
  requireSubscribed,
} from "./subscription-rules";
import { planResource, resolvedSubscriptionResource, subscriptionResource } from "./wire";

/** §0/§6.3: List returns 100 subscriptions per page. */
export const PAGE_SIZE = 100;

/** `SubscriberPlan`: the body of Activate and PATCH subscription. */
const subscriberPlanSchema = z.object({
  planId: z.string().trim().min(1).optional(),
  quantity: z.number().int().positive().optional(),
});

const SUBSCRIPTION = "/api/saas/subscriptions/([^/]+)";

export const fulfillmentRoutes: ApiRoute[] = [
  { name: "resolve", method: "POST", pattern: /^\/api\/saas\/subscriptions\/resolve$/, handle: resolve },
  // The OpenAPI path has a trailing slash; clients use both forms.
  { name: "listSubscriptions", method: "GET", pattern: /^\/api\/saas\/subscriptions\/?$/, handle: list },
  { name: "getSubscription", method: "GET", pattern: new RegExp(`^${SUBSCRIPTION}$`), handle: get },
  { name: "updateSubscription", method: "PATCH", pattern: new RegExp(`^${SUBSCRIPTION}$`), handle: update },
  { name: "deleteSubscription", method: "DELETE", pattern: new RegExp(`^${SUBSCRIPTION}$`), handle: remove },
  {
    name: "listAvailablePlans",
    method: "GET",
    pattern: new RegExp(`^${SUBSCRIPTION}/listAvailablePlans$`),
    handle: listAvailablePlans,
  },
  { name: "activate", method: "POST", pattern: new RegExp(`^${SUBSCRIPTION}/activate$`), handle: activateSubscription },
];

/** §6.1: 400 for a missing, malformed, unknown or expired token; works in every status. */
async function resolve(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const token = call.header("x-ms-marketplace-token");
  if (token === undefined) throw new HttpError(400, "BadRequest", "The x-ms-marketplace-token header is missing.");
  const malformed = malformedTokenReason(token);
  if (malformed) throw new HttpError(400, "BadRequest", `The marketplace token is malformed: ${malformed}.`);
  const stored = ctx.store.findPurchaseToken(hashPurchaseToken(token));
  if (!stored) throw new HttpError(400, "BadRequest", "The marketplace token is not valid (unknown token).");
  if (Date.parse(stored.expiresAt) <= Date.now()) {
    throw new HttpError(
      400,
      "BadRequest",
      `The marketplace token expired at ${stored.expiresAt}; open the subscription from the marketplace again.`,
    );
  }
  const subscription = ctx.store.getSubscription(stored.subscriptionId);
  if (!subscription) throw new HttpError(404, "NotFound", "The subscription of this token no longer exists.");
  return { status: 200, body: resolvedSubscriptionResource(subscription) };
}

/**
 * §6.3: pages of 100 in a stable order; `@nextLink` is absolute and carries the
 * continuation token (URL-encoded, with `+`, `/`, `=` inside, like Microsoft's). No
 * subscriptions at all → an empty body, as documented.
 */
async function list(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const all = ctx.store.listSubscriptions();
  if (all.length === 0) return { status: 200 };
  const continuation = call.url.searchParams.get("continuationToken");
  const start = continuation ? decodeContinuation(continuation, all) : 0;
  const page = all.slice(start, start + PAGE_SIZE);
  const body: { subscriptions: ReturnType<typeof subscriptionResource>[]; "@nextLink"?: string } = {
    subscriptions: page.map(subscriptionResource),
  };
  const last = page.at(-1);
  if (last && start + PAGE_SIZE < all.length) {
    const token = Buffer.from(JSON.stringify({ after: { created: last.created, id: last.id } })).toString("base64");
    body["@nextLink"] =
      `${ctx.options.baseUrl}/api/saas/subscriptions/?continuationToken=${encodeURIComponent(token)}&api-version=${API_VERSION}`;
  }
  return { status: 200, body };
}

const continuationSchema = z.object({ after: z.object({ created: z.string(), id: z.string() }) });

/** Keyset continuation: the page starts after the last subscription of the previous page. */
function decodeContinuation(token: string, all: StoredSubscription[]): number {
  let after: { created: string; id: string };
  try {
    after = continuationSchema.parse(JSON.parse(Buffer.from(token, "base64").toString("utf8"))).after;
  } catch {
    throw new HttpError(400, "BadRequest", "The continuationToken is not valid.");
  }
  const index = all.findIndex((s) => s.created > after.created || (s.created === after.created && s.id > after.id));
  return index === -1 ? all.length : index;
}

async function get(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  return { status: 200, body: subscriptionResource(findSubscription(ctx, call)) };
}

/** §6.5: the plans of the subscription's offer; `planId` narrows to one (unknown → empty list). */
async function listAvailablePlans(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const subscription = findSubscription(ctx, call);
  const plans = findOffer(ctx.options.catalog, subscription.offerId)?.plans ?? [];
  const planId = call.url.searchParams.get("planId");
  const selected = planId === null ? plans : plans.filter((p) => p.planId === planId);
  return { status: 200, body: { plans: selected.map(planResource) } };
}

/**
 * §6.2: 200 without a body; idempotent (variant activate-not-idempotent: a repeat is a 400); 400 when
 * Suspended; 404 when Unsubscribed.
 */
async function activateSubscription(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const subscription = findSubscription(ctx, call);
  if (subscription.status === "Unsubscribed")
    throw new HttpError(404, "NotFound", `Subscription ${subscription.id} is Unsubscribed.`);
  const body = parseJsonBody(await call.body(), subscriberPlanSchema);
  if (checkActivation(subscription, body, ctx.options.catalog) === "already-active") {
    if (ctx.variants.refusesRepeatedActivation())
      throw new HttpError(400, "BadRequest", `Subscription ${subscription.id} is already activated.`);
    return { status: 200 };
  }
  activate(subscription, new Date(), ctx.variants.activationDelayMs());
  await ctx.store.persist();
  return { status: 200, changedState: true };
}

/** §6.6/§6.7: change plan or quantity → 202 + Operation-Location. */
async function update(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const subscription = findSubscription(ctx, call);
  const body = parseJsonBody(await call.body(), subscriberPlanSchema);
  requireAllowed(subscription, "Update");
  requireSubscribed(subscription);
  requireNoPendingOperation(ctx.store.operationsOf(subscription.id));
  const change = planOrQuantityChange(subscription, body, ctx.options.catalog);
  return accepted(ctx, await ctx.engine.start(subscription, change));
}

/** §6.8: DELETE → 202 + Operation-Location; 400 without `Delete`; 409 while locked. */
async function remove(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const subscription = findSubscription(ctx, call);
  requireAllowed(subscription, "Delete");
  const request = checkDeletion(subscription);
  requireNoPendingOperation(ctx.store.operationsOf(subscription.id));
  return accepted(ctx, await ctx.engine.start(subscription, request));
}

function accepted(ctx: MarketplaceContext, operation: StoredOperation): ApiResult {
  const location = `${ctx.options.baseUrl}/api/saas/subscriptions/${operation.subscriptionId}/operations/${operation.id}?api-version=${API_VERSION}`;
  return { status: 202, headers: { "operation-location": location, "operation-id": operation.id } };
}

export function findSubscription(ctx: MarketplaceContext, call: ApiCall): StoredSubscription {
  const id = call.params[0] ?? "";
  const subscription = ctx.store.getSubscription(id);
  if (!subscription) throw new HttpError(404, "NotFound", `Subscription ${id} was not found.`);
  return subscription;
}
