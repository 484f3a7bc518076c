import "server-only";
import type { Prisma } from "../../generated/prisma/client";
import { enqueue } from "../../jobs/enqueue";
import { acknowledgeOperationJob } from "../../operations/acknowledge-operation";
import { recordMarketplaceOperation } from "../../operations/record-marketplace-operation";
import { CONFIRM_WINDOW_MS } from "../../subscriptions/acknowledged-changes";
import type { WebhookContext } from "./context";

/**
 * The step ChangePlan, ChangeQuantity and Reinstate share once the publisher has decided
 * (marketplace-contract.md §7.4):
 * Microsoft's operation is recorded as ours, and the answer is queued as its own job so it lands
 * inside the 10-second window. An accepted change shows in Microsoft's subscription only a moment
 * after the acknowledgement; until then a read still showing the old plan, seats or status must
 * not undo it (acknowledged-changes.ts). Runs in the caller's transaction; wake the workers after.
 */
export async function queueAcknowledgement(
  tx: Prisma.TransactionClient,
  options: {
    action: WebhookContext["action"];
    event: WebhookContext["event"];
    accept: boolean;
    requestedPlanId?: string | null;
    requestedQuantity?: number | null;
  },
): Promise<void> {
  const { event } = options;
  const row = await recordMarketplaceOperation(tx, {
    marketplaceOperationId: event.operationId,
    subscriptionId: event.subscriptionId,
    action: options.action,
    status: "InProgress",
    source: event.requestSource === "Partner" ? "Publisher" : "Marketplace",
    requestedPlanId: options.requestedPlanId ?? null,
    requestedQuantity: options.requestedQuantity ?? null,
  });
  if (options.accept)
    await tx.operation.update({
      where: { id: row.id },
      data: { confirmUntil: new Date(Date.now() + CONFIRM_WINDOW_MS) },
    });
  await enqueue(tx, acknowledgeOperationJob, {
    subscriptionId: event.subscriptionId,
    operationId: event.operationId,
    status: options.accept ? "Success" : "Failure",
    eventId: event.id,
  });
}
