import "server-only";
import { db } from "../db";
import { AppError, fromMarketplaceError } from "../errors";
import type { Subscription } from "../generated/prisma/client";
import { logger } from "../logger";
import { wakeWorkers } from "../jobs/wake";
import { isMarketplaceError, marketplace } from "../marketplace";
import { followActivationLater } from "../operations/follow-activation";
import { readSubscription, type SubscriptionSnapshot } from "./read-subscription";
import { syncSubscription } from "./sync-subscription";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";

/** Brings the follow-up forward: Microsoft is still processing the activation, look again soon. */
async function followSoon(operationId: string) {
  await followActivationLater(db(), operationId, { soon: true });
  wakeWorkers();
}

/**
 * The Microsoft half of an activation, shared by the buyer's landing page and the publisher's
 * console. The caller has recorded an `Activate` operation (`operationId`, also the correlation
 * id) together with its follow-up (followActivationLater). Activate is idempotent at Microsoft
 * (marketplace-contract.md §10.3):
 * - accepted: Microsoft's status is read back (Activate only says "accepted", §6.2) and applied
 *   through the state machine; while it is still pending, the follow-up job takes over;
 * - no usable answer (timeout, lost connection, 5xx): it may have been activated, so nothing is
 *   marked failed; the follow-up job reads Microsoft and calls Activate again if needed;
 * - refused (4xx, or nothing sent): the operation ends Failed with an audit row and the error
 *   surfaces as an AppError with the reference.
 */
export async function callActivate(options: {
  subscription: Subscription;
  operationId: string;
  actor: AuditActor;
  reason: string;
}): Promise<Subscription> {
  const { subscription, operationId, actor } = options;
  try {
    await marketplace().activateSubscription(
      subscription.id,
      { planId: subscription.planId, ...(subscription.quantity ? { quantity: subscription.quantity } : {}) },
      { correlationId: operationId },
    );
  } catch (error) {
    if (isMarketplaceError(error) && error.mayHaveTakenEffect) {
      logger.warn(`${options.reason}: no usable answer from Microsoft; the follow-up job confirms it`, {
        subscriptionId: subscription.id,
        reference: operationId,
        error: error.message,
      });
      await followSoon(operationId);
      return db().subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    }
    const appError = fromMarketplaceError(error, "activate");
    await db().$transaction([
      db().operation.update({
        where: { id: operationId },
        data: {
          status: "Failed",
          errorMessage: error instanceof Error ? error.message : String(error),
          completedAt: new Date(),
        },
      }),
      recordAudit(db(), {
        subscriptionId: subscription.id,
        actor: actor,
        action: "activation_failed",
        detail: { reason: appError.code, reference: operationId },
      }),
    ]);
    logger.warn(`${options.reason} failed`, { subscriptionId: subscription.id, reference: operationId, error });
    throw new AppError(appError.code, { reference: operationId, cause: error });
  }
  await db().operation.update({ where: { id: operationId }, data: { submittedAt: new Date() } });
  const snapshot = await readSubscription(subscription.id, { correlationId: operationId }).catch(
    (error: unknown): SubscriptionSnapshot | undefined => {
      logger.warn("could not read the subscription back after activation", { subscriptionId: subscription.id, error });
      return undefined;
    },
  );
  // Activation is asynchronous (§6.2): while Microsoft still reports PendingFulfillmentStart (or could
  // not be read), the operation stays open and the follow-up job watches it until Microsoft settles.
  const status = snapshot?.subscription.saasSubscriptionStatus;
  const settled = status === "Subscribed" || status === "Suspended";
  const row = await db().$transaction(async (tx) => {
    if (settled)
      await tx.operation.update({ where: { id: operationId }, data: { status: "Succeeded", completedAt: new Date() } });
    return snapshot
      ? syncSubscription(tx, { snapshot, actor, reason: options.reason, transitionAction: "activated" })
      : tx.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
  });
  if (!settled) await followSoon(operationId);
  return row;
}
