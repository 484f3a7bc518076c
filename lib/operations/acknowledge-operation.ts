import "server-only";
import { db } from "../db";
import { isMarketplaceError, marketplace } from "../marketplace";
import { logger } from "../logger";
import { readSubscription, type SubscriptionSnapshot } from "../subscriptions/read-subscription";
import { syncSubscription } from "../subscriptions/sync-subscription";

export const ACKNOWLEDGE_JOB = "acknowledge-operation";

export interface AcknowledgeRequest {
  subscriptionId: string;
  operationId: string;
  status: "Success" | "Failure";
  eventId?: string;
}

/**
 * Tells Microsoft our answer to an operation (PATCH …/operations/{id}, §7.3). Runs as its own job
 * right after the decision, so it lands well inside the 10-second window and is retried (429/5xx
 * by the client, anything else by the job queue) without redoing the decision.
 *
 * Microsoft applies an accepted change when it receives the acknowledgement, so the subscription
 * is read back right after it and stored in the same transaction that closes the operation: when
 * the customer's page stops showing "pending", it shows Microsoft's result.
 */
export async function acknowledgeOperation(request: AcknowledgeRequest): Promise<void> {
  let result: "acknowledged" | "superseded" | "unknown" = "acknowledged";
  try {
    await marketplace().updateOperation(request.subscriptionId, request.operationId, request.status, { correlationId: request.eventId });
  } catch (error) {
    if (isMarketplaceError(error, "conflict")) result = "superseded"; // a newer update was fulfilled: not a failure (§7.3)
    else if (isMarketplaceError(error, "not_found")) result = "unknown";
    else throw error;
  }
  const snapshot = await readSubscription(request.subscriptionId, { correlationId: request.eventId }).catch((error: unknown): SubscriptionSnapshot | undefined => {
    logger.warn("could not read the subscription back after the acknowledgement; the operation poll and reconciliation will", { subscriptionId: request.subscriptionId, error });
    return undefined;
  });
  const now = new Date();
  await db().$transaction(async (tx) => {
    if (request.eventId) {
      await tx.webhookEvent.update({ where: { id: request.eventId }, data: { acknowledgement: result === "acknowledged" ? request.status : `${request.status} (${result})`, acknowledgedAt: now } });
    }
    await tx.operation.updateMany({
      where: { OR: [{ marketplaceOperationId: request.operationId }, { id: request.operationId }] },
      data: { status: request.status === "Success" ? "Succeeded" : "Failed", completedAt: now },
    });
    await tx.auditEvent.create({
      data: { subscriptionId: request.subscriptionId, actorType: "system", action: "operation_acknowledged", detail: { operationId: request.operationId, status: request.status, result } },
    });
    if (snapshot) await syncSubscription(tx, { snapshot, actor: { actorType: "system" }, reason: `acknowledged ${request.status}` });
  });
  if (result !== "acknowledged") logger.warn("acknowledgement not applied by Microsoft", { ...request, result });
}
