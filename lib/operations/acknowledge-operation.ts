import "server-only";
import { db } from "../db";
import { isMarketplaceError, marketplace } from "../marketplace";
import { logger } from "../logger";

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
  });
  if (result !== "acknowledged") logger.warn("acknowledgement not applied by Microsoft", { ...request, result });
}
