import "server-only";
import { z } from "zod";
import { db } from "../db";
import { defineJob } from "../jobs/define-job";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import { isFinalOperationStatus, isMarketplaceError, marketplace, type MarketplaceOperation } from "../marketplace";
import { logger } from "../logger";
import { telemetry } from "../telemetry/telemetry";
import { CONFIRM_WINDOW_MS, CONFIRMED_ACTIONS } from "../subscriptions/acknowledged-changes";
import { readSubscription, type SubscriptionSnapshot } from "../subscriptions/read-subscription";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { confirmAcknowledgedChangeJob } from "./confirm-acknowledged-change";
import { pollDelayMs } from "./follow-operation";
import { recordAudit } from "../audit/record-audit";
import { emitAcknowledgementFailed } from "../events/emit-acknowledgement-failed";
import { alertAcknowledgementFailed } from "../notifications/alert-acknowledgement-failed";
import { lockSubscription } from "../subscriptions/lock-subscription";

const acknowledgeRequest = z.object({
  subscriptionId: z.string(),
  operationId: z.string(),
  status: z.enum(["Success", "Failure"]),
  eventId: z.string().optional(),
});
export type AcknowledgeRequest = z.infer<typeof acknowledgeRequest>;

/** One acknowledgement per operation; retried inside Microsoft's 10-second window and after it (a 409 then settles it). */
export const acknowledgeOperationJob = defineJob({
  name: "acknowledge-operation",
  payload: acknowledgeRequest,
  key: (request) => request.operationId,
  retry: { limit: 7, delaySeconds: 1, backoff: true },
  expireInSeconds: 60,
  concurrency: 2,
  run: async (request, context) => {
    try {
      await acknowledgeOperation(request);
    } catch (error) {
      // The last attempt failed too: Microsoft may auto-accept after its window, so the product is told.
      if (context.retryCount >= acknowledgeOperationJob.retry.limit) {
        const failure = {
          subscriptionId: request.subscriptionId,
          operationId: request.operationId,
          answer: request.status,
          outcome: "not_delivered" as const,
          microsoftStatus: null,
          reason: `The acknowledgement could not be sent to Microsoft: ${error instanceof Error ? error.message : String(error)}`,
        };
        await db().$transaction(async (tx) => {
          await emitAcknowledgementFailed(tx, failure);
          await alertAcknowledgementFailed(tx, failure);
        });
      }
      throw error;
    }
  },
});

const ourStatus = { Success: "Succeeded", Failure: "Failed" } as const;

/**
 * Tells Microsoft our answer to an operation (PATCH …/operations/{id}, marketplace-contract.md §7.3). Runs as its own job
 * right after the decision, so it lands well inside the 10-second window and is retried (429/5xx
 * by the client, anything else by the job queue) without redoing the decision.
 *
 * A 409 means the operation is already final at Microsoft (our earlier attempt whose answer was
 * lost, an auto-accept after the window, a newer change): the operation is read and ours settled
 * from Microsoft's status, and the label says what Microsoft holds — never "not received" for an
 * acknowledgement Microsoft has.
 *
 * Microsoft applies an accepted change a moment after the acknowledgement. The subscription is
 * read back at once, but a read that does not show the change yet keeps ours (confirmUntil,
 * acknowledged-changes.ts) and a job re-reads until it does.
 */
export async function acknowledgeOperation(request: AcknowledgeRequest): Promise<void> {
  let remote: MarketplaceOperation | undefined;
  let outcome: "acknowledged" | "already_final" | "unknown" = "acknowledged";
  try {
    await marketplace().updateOperation(request.subscriptionId, request.operationId, request.status, {
      correlationId: request.eventId,
    });
  } catch (error) {
    if (isMarketplaceError(error, "conflict")) {
      outcome = "already_final";
      remote = await marketplace().getOperation(request.subscriptionId, request.operationId, {
        correlationId: request.eventId,
      });
    } else if (isMarketplaceError(error, "not_found")) {
      outcome = "unknown";
    } else {
      throw error;
    }
  }
  const answeredAt = Date.now();
  // Microsoft's final word when it told us (409), else the answer it just accepted.
  const finalStatus = remote && isFinalOperationStatus(remote.status) ? remote.status : ourStatus[request.status];
  const label =
    outcome === "acknowledged"
      ? request.status
      : outcome === "unknown"
        ? `${request.status} not recorded: Microsoft no longer knows this operation`
        : finalStatus === ourStatus[request.status]
          ? `${request.status} (Microsoft: ${finalStatus})`
          : `${request.status} not applied: Microsoft had already settled it as ${finalStatus}`;

  const snapshot = await readSubscription(request.subscriptionId, { correlationId: request.eventId }).catch(
    (error: unknown): SubscriptionSnapshot | undefined => {
      logger.warn(
        "could not read the subscription back after the acknowledgement; the confirmation job and reconciliation will",
        { subscriptionId: request.subscriptionId, error },
      );
      return undefined;
    },
  );
  const now = new Date();
  let webhook: { receivedAt: Date; action: string } | undefined;
  const confirm = await db().$transaction(async (tx) => {
    await lockSubscription(tx, request.subscriptionId);
    if (request.eventId) {
      webhook = await tx.webhookEvent.update({
        where: { id: request.eventId },
        data: { acknowledgement: label, acknowledgedAt: now },
        select: { receivedAt: true, action: true },
      });
    }
    const operation = await tx.operation.findFirst({
      where: { OR: [{ marketplaceOperationId: request.operationId }, { id: request.operationId }] },
    });
    const awaitsConfirmation =
      operation !== null && finalStatus === "Succeeded" && CONFIRMED_ACTIONS.has(operation.action);
    if (operation) {
      await tx.operation.update({
        where: { id: operation.id },
        data: {
          status: finalStatus,
          completedAt: operation.completedAt ?? now,
          confirmUntil: awaitsConfirmation ? new Date(now.getTime() + CONFIRM_WINDOW_MS) : null,
        },
      });
      // This change is the newest: an older accepted change still waiting for Microsoft is superseded.
      await tx.operation.updateMany({
        where: {
          subscriptionId: request.subscriptionId,
          id: { not: operation.id },
          confirmUntil: { not: null },
          createdAt: { lt: operation.createdAt },
        },
        data: { confirmUntil: null },
      });
    }
    await recordAudit(tx, {
      subscriptionId: request.subscriptionId,
      actor: { actorType: "system" },
      action: "operation_acknowledged",
      detail: { operationId: request.operationId, status: request.status, outcome, microsoftStatus: finalStatus },
    });
    if (snapshot)
      await syncSubscription(tx, {
        snapshot,
        actor: { actorType: "system" },
        reason: `acknowledged ${request.status}`,
      });
    const notTaken = outcome === "unknown" || finalStatus !== ourStatus[request.status];
    if (notTaken) {
      const failure = {
        subscriptionId: request.subscriptionId,
        operationId: request.operationId,
        answer: request.status,
        outcome: outcome === "unknown" ? ("unknown_operation" as const) : ("not_applied" as const),
        microsoftStatus: outcome === "unknown" ? null : finalStatus,
        reason: label,
      };
      await emitAcknowledgementFailed(tx, failure);
      await alertAcknowledgementFailed(tx, failure);
    }
    if (!awaitsConfirmation || !operation) return undefined;
    const stillAwaiting = await tx.operation.findUnique({
      where: { id: operation.id },
      select: { confirmUntil: true },
    });
    if (!stillAwaiting?.confirmUntil) return undefined;
    await enqueue(
      tx,
      confirmAcknowledgedChangeJob,
      { operationId: operation.id, check: 1 },
      { startAfter: new Date(now.getTime() + pollDelayMs(1)) },
    );
    return operation.id;
  });
  if (confirm) wakeWorkers();
  if (webhook)
    telemetry.acknowledgement({
      durationMs: answeredAt - webhook.receivedAt.getTime(),
      answer: request.status,
      outcome,
      action: webhook.action,
    });
  if (outcome !== "acknowledged")
    logger.warn("acknowledgement answered by Microsoft with a settled operation", {
      ...request,
      outcome,
      microsoftStatus: finalStatus,
    });
}
