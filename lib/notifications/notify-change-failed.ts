/**
 * The buyer's `change_failed` mail: a plan or seat change, or a cancellation, did not go through —
 * Microsoft failed or refused the operation (with its reason), the change never reached it in
 * time, or the publisher's policy refused a change the customer asked Microsoft for. Written with
 * the operation's final state, once per operation.
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { notifyBuyers } from "./notify-buyers";
import { subscriptionFactsOf } from "./subscription-facts";

const CHANGES = new Set(["ChangePlan", "ChangeQuantity", "Unsubscribe"]);

export type FailedChange =
  /** One of the portal's operations (a customer's or the publisher's request) ended Failed. */
  | { operationId: string; reason: string }
  /** The publisher's policy refused a change Microsoft asked about (a webhook). */
  | {
      subscriptionId: string;
      marketplaceOperationId: string;
      action: string;
      requestedPlanId: string | null;
      requestedQuantity: number | null;
      reason: string;
    };

export async function notifyChangeFailed(tx: Prisma.TransactionClient, failed: FailedChange): Promise<void> {
  const change =
    "operationId" in failed
      ? await tx.operation.findUnique({ where: { id: failed.operationId } }).then((operation) =>
          operation
            ? {
                subscriptionId: operation.subscriptionId,
                cause: `change-failed:${operation.id}`,
                action: operation.action,
                requestedPlanId: operation.requestedPlanId,
                requestedQuantity: operation.requestedQuantity,
                by: "microsoft" as const,
              }
            : null,
        )
      : {
          subscriptionId: failed.subscriptionId,
          cause: `change-refused:${failed.marketplaceOperationId}`,
          action: failed.action,
          requestedPlanId: failed.requestedPlanId,
          requestedQuantity: failed.requestedQuantity,
          by: "publisher" as const,
        };
  if (!change || !CHANGES.has(change.action)) return;
  const subscription = await tx.subscription.findUnique({ where: { id: change.subscriptionId } });
  if (!subscription) return;
  await notifyBuyers(tx, subscription, {
    kind: "change_failed",
    cause: change.cause,
    data: {
      ...subscriptionFactsOf(subscription),
      action: change.action,
      requestedPlanId: change.requestedPlanId,
      requestedQuantity: change.requestedQuantity,
      reason: failed.reason,
      by: change.by,
    },
  });
}
