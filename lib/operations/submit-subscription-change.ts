import "server-only";
import { db } from "../db";
import { enqueueJob } from "../jobs/enqueue-job";
import { wakeWorkers } from "../jobs/wake";
import { logger } from "../logger";
import { isMarketplaceError, marketplace, type AcceptedOperation } from "../marketplace";
import { FOLLOW_OPERATION_JOB } from "./follow-operation";

export const SUBMIT_CHANGE_JOB = "submit-subscription-change";

/**
 * Sends a customer's recorded change to Microsoft (PATCH or DELETE, §6.6–6.8). On 202 the
 * operation is followed from Operation-Location; a refusal (400/409) ends it as Failed with
 * Microsoft's reason; anything transient is retried by the job queue. PATCH/DELETE are only
 * repeated when Microsoft did not process them (the client retries 429 only).
 */
/** A 409 means another operation still holds the subscription at Microsoft: worth a few retries. */
const CONFLICT_RETRIES = 4;

export async function submitSubscriptionChange(options: { operationId: string; attempt?: number }): Promise<void> {
  const operation = await db().operation.findUnique({ where: { id: options.operationId } });
  if (!operation || operation.status !== "Requested") return;
  const client = marketplace();
  let accepted: AcceptedOperation;
  try {
    accepted = operation.action === "ChangePlan" && operation.requestedPlanId
      ? await client.changePlan(operation.subscriptionId, operation.requestedPlanId, { correlationId: operation.id })
      : operation.action === "ChangeQuantity" && operation.requestedQuantity !== null
        ? await client.changeQuantity(operation.subscriptionId, operation.requestedQuantity, { correlationId: operation.id })
        : await client.deleteSubscription(operation.subscriptionId, { correlationId: operation.id });
  } catch (error) {
    if (isMarketplaceError(error, "conflict") && (options.attempt ?? 1) < CONFLICT_RETRIES) {
      logger.warn("change locked by another operation at Microsoft; retrying", { operationId: operation.id, attempt: options.attempt ?? 1 });
      throw error; // the job queue retries with backoff
    }
    if (isMarketplaceError(error) && (error.kind === "bad_request" || error.kind === "conflict" || error.kind === "not_found" || error.kind === "forbidden")) {
      const reason = error.kind === "conflict"
        ? "Microsoft is still processing another change on this subscription."
        : `Microsoft refused the change${error.detail ? `: ${error.detail}` : "."}`;
      await db().$transaction([
        db().operation.update({ where: { id: operation.id }, data: { status: "Failed", errorMessage: reason, completedAt: new Date() } }),
        db().auditEvent.create({ data: { subscriptionId: operation.subscriptionId, actorType: "system", action: "change_failed", detail: { operationId: operation.id, reason } } }),
      ]);
      logger.warn("Microsoft refused a subscription change", { operationId: operation.id, action: operation.action, reason });
      return;
    }
    throw error;
  }
  await db().$transaction(async (tx) => {
    // Microsoft's webhook may have beaten the 202 here and recorded the operation under its own id.
    await tx.operation.deleteMany({ where: { marketplaceOperationId: accepted.operationId, id: { not: operation.id } } });
    await tx.operation.update({ where: { id: operation.id }, data: { status: "InProgress", marketplaceOperationId: accepted.operationId, operationLocation: accepted.operationLocation } });
    await enqueueJob(tx, { type: FOLLOW_OPERATION_JOB, payload: { operationId: operation.id, poll: 1 }, runAt: new Date(Date.now() + 2000), singletonKey: `follow:${operation.id}`, maxAttempts: 5 });
  });
  wakeWorkers();
}
