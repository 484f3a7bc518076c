/** SaaS Fulfillment API v2, operation endpoints (OpenAPI `SubscriptionOperations_*`, marketplace-contract.md §7). */
import { z } from "zod";
import type { ApiCall, ApiResult, ApiRoute } from "./api-gateway";
import type { MarketplaceContext } from "./context";
import { findSubscription } from "./fulfillment-api";
import { HttpError, parseJsonBody } from "./http-error";
import type { StoredOperation } from "./model";
import { operationResource } from "./wire";

const OPERATIONS = "/api/saas/subscriptions/([^/]+)/operations";

/** `UpdateOperation`: publishers send `status` only (§7.3); planId/quantity, if sent, must match the operation. */
const updateOperationSchema = z.object({
  status: z.enum(["Success", "Failure"]),
  planId: z.string().optional(),
  quantity: z.number().int().optional(),
});

export const operationRoutes: ApiRoute[] = [
  { name: "listOperations", method: "GET", pattern: new RegExp(`^${OPERATIONS}$`), handle: listOutstanding },
  { name: "getOperation", method: "GET", pattern: new RegExp(`^${OPERATIONS}/([^/]+)$`), handle: getOperation },
  { name: "updateOperation", method: "PATCH", pattern: new RegExp(`^${OPERATIONS}/([^/]+)$`), handle: updateOperation },
];

/** §7.1: operations awaiting the ISV's acknowledgement; an empty JSON object when there are none. */
async function listOutstanding(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const subscription = findSubscription(ctx, call);
  const pending = ctx.store
    .operationsOf(subscription.id)
    .filter((o) => o.status === "InProgress" && ctx.variants.operationKnown(o));
  const now = new Date();
  const shown = pending.map((o) => ({ ...operationResource(o), status: ctx.variants.shownOperationStatus(o, now) }));
  return { status: 200, body: shown.length === 0 ? {} : { operations: shown } };
}

async function getOperation(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const operation = findOperation(ctx, call);
  return {
    status: 200,
    body: { ...operationResource(operation), status: ctx.variants.shownOperationStatus(operation, new Date()) },
  };
}

/** §7.3: 200 without a body; 409 once the operation is no longer InProgress. */
async function updateOperation(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const operation = findOperation(ctx, call);
  const body = parseJsonBody(await call.body(), updateOperationSchema);
  if (body.planId !== undefined && body.planId !== operation.planId) {
    throw new HttpError(
      400,
      "BadRequest",
      `planId "${body.planId}" does not match the operation's plan "${operation.planId}".`,
    );
  }
  if (body.quantity !== undefined && body.quantity !== operation.quantity) {
    throw new HttpError(
      400,
      "BadRequest",
      `quantity ${body.quantity} does not match the operation's quantity ${String(operation.quantity)}.`,
    );
  }
  if (operation.status !== "InProgress") throw conflict(operation);
  // Unsubscribe is notify-only (§7.4): it cannot be refused.
  if (operation.action === "Unsubscribe" && body.status === "Failure") {
    throw new HttpError(400, "BadRequest", "An Unsubscribe operation cannot be refused; it is notify-only.");
  }
  if (!(await ctx.engine.acknowledge(operation, body.status))) throw conflict(operation);
  return { status: 200 };
}

function conflict(operation: StoredOperation): HttpError {
  return new HttpError(
    409,
    "Conflict",
    `Operation ${operation.id} is already ${operation.status}; it can no longer be updated.`,
  );
}

function findOperation(ctx: MarketplaceContext, call: ApiCall): StoredOperation {
  const subscription = findSubscription(ctx, call);
  const operationId = call.params[1] ?? "";
  const stored = ctx.store.getOperation(subscription.id, operationId);
  // Variant subscribe-operation-unknown: the Subscribe operation is not known here (§15.22).
  const operation = stored && ctx.variants.operationKnown(stored) ? stored : undefined;
  if (!operation)
    throw new HttpError(404, "NotFound", `Operation ${operationId} of subscription ${subscription.id} was not found.`);
  return operation;
}
