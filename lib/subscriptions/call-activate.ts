import "server-only";
import { db } from "../db";
import { AppError, fromMarketplaceError } from "../errors";
import type { Subscription } from "../generated/prisma/client";
import { logger } from "../logger";
import { enqueueJob } from "../jobs/enqueue-job";
import { wakeWorkers } from "../jobs/wake";
import { marketplace } from "../marketplace";
import { FOLLOW_ACTIVATION_JOB } from "../operations/follow-activation";
import { pollDelayMs } from "../operations/follow-operation";
import { readSubscription, type SubscriptionSnapshot } from "./read-subscription";
import { syncSubscription } from "./sync-subscription";
import type { AuditActor } from "./transition-subscription";

/**
 * The Microsoft half of an activation, shared by the buyer's landing page and the publisher's
 * console. The caller has recorded an `Activate` operation (`operationId`, also the correlation
 * id). Activate is idempotent at Microsoft; a failure ends the operation as Failed with an audit
 * row and surfaces as an AppError with the reference. On success Microsoft's status is read back
 * (Activate only says "accepted", §6.2) and applied through the state machine; while it is still
 * pending, a follow-activation job takes over.
 */
export async function callActivate(options: { subscription: Subscription; operationId: string; actor: AuditActor; reason: string }): Promise<Subscription> {
  const { subscription, operationId, actor } = options;
  const client = marketplace();
  try {
    await client.activateSubscription(subscription.id, { planId: subscription.planId, ...(subscription.quantity ? { quantity: subscription.quantity } : {}) }, { correlationId: operationId });
  } catch (error) {
    const appError = fromMarketplaceError(error, "activate");
    await db().$transaction([
      db().operation.update({ where: { id: operationId }, data: { status: "Failed", errorMessage: error instanceof Error ? error.message : String(error), completedAt: new Date() } }),
      db().auditEvent.create({ data: { subscriptionId: subscription.id, ...actor, action: "activation_failed", detail: { reason: appError.code, reference: operationId } } }),
    ]);
    logger.warn(`${options.reason} failed`, { subscriptionId: subscription.id, reference: operationId, error });
    throw new AppError(appError.code, { reference: operationId, cause: error });
  }
  const snapshot = await readSubscription(subscription.id, { correlationId: operationId }).catch((error: unknown): SubscriptionSnapshot | undefined => {
    logger.warn("could not read the subscription back after activation", { subscriptionId: subscription.id, error });
    return undefined;
  });
  // Activation is asynchronous (§6.2): while Microsoft still reports PendingFulfillmentStart (or could
  // not be read), the operation stays open and a job follows it until Microsoft settles.
  const settled = snapshot !== undefined && snapshot.subscription.saasSubscriptionStatus !== "PendingFulfillmentStart";
  const row = await db().$transaction(async (tx) => {
    if (settled) await tx.operation.update({ where: { id: operationId }, data: { status: "Succeeded", completedAt: new Date() } });
    else await enqueueJob(tx, { type: FOLLOW_ACTIVATION_JOB, payload: { operationId, poll: 1 }, runAt: new Date(Date.now() + pollDelayMs(1)), maxAttempts: 5 });
    return snapshot
      ? syncSubscription(tx, { snapshot, actor, reason: options.reason, transitionAction: "activated" })
      : tx.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
  });
  if (!settled) wakeWorkers();
  return row;
}
