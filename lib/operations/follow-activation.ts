import "server-only";
import { z } from "zod";
import { db } from "../db";
import { defineJob } from "../jobs/define-job";
import { enqueue, type JobWriter } from "../jobs/enqueue";
import { isMarketplaceError, marketplace } from "../marketplace";
import { logger } from "../logger";
import { readSubscription, type SubscriptionSnapshot } from "../subscriptions/read-subscription";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { pollDelayMs } from "./follow-operation";
import { recordAudit } from "../audit/record-audit";

/** Each poll books the next one; one waiting poll per activation. */
export const followActivationJob = defineJob({
  name: "follow-activation",
  payload: z.object({ operationId: z.string(), poll: z.number().int().positive().default(1) }),
  key: (payload) => payload.operationId,
  retry: { limit: 7, delaySeconds: 2, backoff: true },
  expireInSeconds: 60,
  run: (payload) => followActivation(payload),
});

/** If the process dies during an activation, this follow-up finishes it after the restart. */
const RECOVERY_DELAY_MS = 60_000;

/**
 * The follow-up of an activation, written in the same transaction as its `Activate` operation:
 * whatever happens to the request that calls Activate (a crash, a timeout), the activation is
 * picked up and converges with Microsoft. `soon`: Microsoft is still processing it, look in a few
 * seconds (an already waiting follow-up is brought forward).
 */
export function followActivationLater(writer: JobWriter, operationId: string, options: { soon?: boolean } = {}) {
  const startAfter = new Date(Date.now() + (options.soon ? pollDelayMs(1) : RECOVERY_DELAY_MS));
  return enqueue(writer, followActivationJob, { operationId, poll: 1 }, { startAfter, moveEarlier: true });
}

const MAX_POLLS = 20; // ~15 minutes with pollDelayMs; then the operation is failed so an admin sees it

/**
 * Activation is asynchronous at Microsoft (marketplace-contract.md §6.2): Activate may be accepted while the subscription
 * still reads PendingFulfillmentStart, and no webhook follows. This job re-reads the subscription
 * with backoff until Microsoft reports another status, then closes the Activate operation and
 * applies the status, so the buyer's "finishing the activation" page updates by itself.
 *
 * It also finishes activations whose request died (a crash, a timeout): when Microsoft still
 * reports PendingFulfillmentStart and our Activate was never confirmed accepted, it calls Activate
 * again, which is idempotent (§10.3).
 */
export async function followActivation(options: { operationId: string; poll: number }): Promise<void> {
  const operation = await db().operation.findUnique({ where: { id: options.operationId } });
  if (!operation || operation.action !== "Activate" || operation.status !== "InProgress") return;
  const snapshot = await readSubscription(operation.subscriptionId, { correlationId: operation.id });
  const status = snapshot.subscription.saasSubscriptionStatus;

  if (status !== "Subscribed" && status !== "Suspended" && status !== "Unsubscribed") {
    if (!operation.submittedAt && status === "PendingFulfillmentStart" && !(await activateAgain(operation))) return;
    if (options.poll < MAX_POLLS) {
      await enqueue(
        db(),
        followActivationJob,
        { operationId: operation.id, poll: options.poll + 1 },
        { startAfter: new Date(Date.now() + pollDelayMs(options.poll + 1)) },
      );
      return;
    }
    await settle(operation.id, snapshot, {
      status: "Failed",
      errorMessage: `Microsoft accepted the activation but still reports ${status} after 15 minutes; retry the activation.`,
    });
    return;
  }
  await settle(
    operation.id,
    snapshot,
    status === "Unsubscribed"
      ? { status: "Failed", errorMessage: "Microsoft cancelled the subscription instead of activating it." }
      : { status: "Succeeded" },
  );
}

/** Sends Activate again (idempotent); false when Microsoft refused it and the operation ended Failed. */
async function activateAgain(operation: {
  id: string;
  subscriptionId: string;
  requestedPlanId: string | null;
  requestedQuantity: number | null;
}): Promise<boolean> {
  const subscription = await db().subscription.findUniqueOrThrow({ where: { id: operation.subscriptionId } });
  try {
    await marketplace().activateSubscription(
      subscription.id,
      {
        planId: operation.requestedPlanId ?? subscription.planId,
        ...((operation.requestedQuantity ?? subscription.quantity)
          ? { quantity: operation.requestedQuantity ?? subscription.quantity ?? undefined }
          : {}),
      },
      { correlationId: operation.id },
    );
  } catch (error) {
    if (isMarketplaceError(error) && !error.retryable && !error.mayHaveTakenEffect && error.kind !== "authentication") {
      logger.warn("Microsoft refused the activation on the follow-up", {
        operationId: operation.id,
        error: error.message,
      });
      await db().$transaction([
        db().operation.update({
          where: { id: operation.id },
          data: { status: "Failed", errorMessage: error.message, completedAt: new Date() },
        }),
        recordAudit(db(), {
          subscriptionId: operation.subscriptionId,
          actor: { actorType: "system" },
          action: "activation_failed",
          detail: { reason: error.kind, reference: operation.id },
        }),
      ]);
      return false;
    }
    throw error; // transient: the job retries
  }
  await db().operation.update({ where: { id: operation.id }, data: { submittedAt: new Date() } });
  return true;
}

async function settle(
  operationId: string,
  snapshot: SubscriptionSnapshot,
  result: { status: "Succeeded" | "Failed"; errorMessage?: string },
) {
  await db().$transaction(async (tx) => {
    const updated = await tx.operation.updateMany({
      where: { id: operationId, status: "InProgress" },
      data: { status: result.status, errorMessage: result.errorMessage ?? null, completedAt: new Date() },
    });
    if (updated.count === 0) return;
    await syncSubscription(tx, {
      snapshot,
      actor: { actorType: "system" },
      reason: "activation completed at Microsoft",
      transitionAction: "activated",
    });
  });
}
