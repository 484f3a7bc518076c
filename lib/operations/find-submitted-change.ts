import "server-only";
import type { Operation } from "../generated/prisma/client";
import { db } from "../db";
import { marketplace, type MarketplaceOperation } from "../marketplace";
import { readSubscription, type SubscriptionSnapshot } from "../subscriptions/read-subscription";

export type SubmittedChange =
  /** Microsoft has an operation for it: adopt it instead of sending the change again. */
  | { found: "operation"; operation: MarketplaceOperation }
  /** No open operation, but Microsoft's subscription already shows the change. */
  | { found: "applied"; snapshot: SubscriptionSnapshot }
  /** Microsoft shows no trace of it (yet). */
  | { found: "nothing"; snapshot: SubscriptionSnapshot };

/**
 * What became of a PATCH/DELETE we sent without learning the answer (a timeout, a lost
 * connection, a crash between Microsoft's 202 and our record). Microsoft has no idempotency key
 * (marketplace-contract.md §3.3), so instead of sending the change again we ask: an open operation of
 * the same action and target (List Operations) is ours to adopt; a subscription that already
 * shows the target means the change went through.
 */
export async function findSubmittedChange(operation: Operation): Promise<SubmittedChange> {
  const client = marketplace();
  const open = await client.listOperations(operation.subscriptionId, { correlationId: operation.id });
  // Another change we requested earlier may own an operation still open at Microsoft; rows the
  // webhook created for an operation (their id is Microsoft's) are exactly what we may adopt.
  const adoptedElsewhere = new Set(
    (
      await db().operation.findMany({
        where: {
          subscriptionId: operation.subscriptionId,
          marketplaceOperationId: { not: null },
          id: { not: operation.id },
        },
        select: { id: true, marketplaceOperationId: true },
      })
    )
      .filter((row) => row.id !== row.marketplaceOperationId)
      .map((row) => row.marketplaceOperationId),
  );
  const candidate = open.find((remote) => !adoptedElsewhere.has(remote.id) && isSameChange(operation, remote));
  if (candidate) return { found: "operation", operation: candidate };

  const snapshot = await readSubscription(operation.subscriptionId, { correlationId: operation.id });
  return { found: showsChange(operation, snapshot) ? "applied" : "nothing", snapshot };
}

/** Microsoft's operation is the change we asked for: same action, same target plan or seats. */
export function isSameChange(
  ours: Pick<Operation, "action" | "requestedPlanId" | "requestedQuantity">,
  remote: Pick<MarketplaceOperation, "action" | "planId" | "quantity">,
): boolean {
  if (remote.action.toLowerCase() !== ours.action.toLowerCase()) return false;
  if (ours.action === "ChangePlan") return remote.planId === ours.requestedPlanId;
  if (ours.action === "ChangeQuantity") return remote.quantity === ours.requestedQuantity;
  return true;
}

/** Microsoft's subscription shows the result of our change. */
export function showsChange(
  ours: Pick<Operation, "action" | "requestedPlanId" | "requestedQuantity">,
  snapshot: SubscriptionSnapshot,
): boolean {
  const remote = snapshot.subscription;
  if (ours.action === "ChangePlan") return remote.planId === ours.requestedPlanId;
  if (ours.action === "ChangeQuantity") return remote.quantity === ours.requestedQuantity;
  if (ours.action === "Unsubscribe") return remote.saasSubscriptionStatus === "Unsubscribed";
  return false;
}
