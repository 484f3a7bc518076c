import "server-only";
import { z } from "zod";
import { db } from "../db";
import { defineJob } from "../jobs/define-job";
import { enqueue, type JobWriter } from "../jobs/enqueue";
import { isMarketplaceError } from "../marketplace";
import { logger } from "../logger";
import { applyActivationRead } from "../subscriptions/apply-activation-read";
import { readSubscription } from "../subscriptions/read-subscription";
import { sendActivate } from "../subscriptions/send-activate";
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

const SYSTEM = { actorType: "system" as const };
const SETTLED_REASON = "activation completed at Microsoft";

/**
 * Activation is asynchronous at Microsoft (marketplace-contract.md §6.2): Activate may be accepted while the subscription
 * still reads PendingFulfillmentStart, and no webhook follows. This job re-reads the subscription
 * with backoff until Microsoft reports another status, then closes the Activate operation and
 * applies the status, so the buyer's "finishing the activation" page updates by itself.
 *
 * It also finishes activations whose request died or got no usable answer (a crash, a timeout):
 * while Microsoft still reports PendingFulfillmentStart and has not taken our Activate
 * (`acceptedAt`), it sends Activate again through sendActivate — only after this read, never
 * blindly, since Microsoft's idempotence is unverified (§10.3, §15.25).
 */
export async function followActivation(options: { operationId: string; poll: number }): Promise<void> {
  const operation = await db().operation.findUnique({ where: { id: options.operationId } });
  if (!operation || operation.action !== "Activate" || operation.status !== "InProgress") return;
  let snapshot = await readSubscription(operation.subscriptionId, { correlationId: operation.id });

  if (snapshot.subscription.saasSubscriptionStatus === "PendingFulfillmentStart" && !operation.acceptedAt) {
    const attempt = await sendActivate({ operationId: operation.id, pendingRead: true });
    if (attempt.outcome === "read") snapshot = attempt.snapshot;
    if (attempt.outcome === "refused" && !(await refused(operation, attempt.error, attempt.earlier))) return;
  }

  const status = snapshot.subscription.saasSubscriptionStatus;
  if (status === "Subscribed" || status === "Suspended" || status === "Unsubscribed" || options.poll >= MAX_POLLS) {
    await applyActivationRead({
      operationId: operation.id,
      snapshot,
      actor: SYSTEM,
      reason: SETTLED_REASON,
      failIfPending: `Microsoft accepted the activation but still reports ${status} after 15 minutes; retry the activation.`,
    });
    return;
  }
  await enqueue(
    db(),
    followActivationJob,
    { operationId: operation.id, poll: options.poll + 1 },
    { startAfter: new Date(Date.now() + pollDelayMs(options.poll + 1)) },
  );
}

/**
 * Microsoft certainly did not take the Activate just sent. A first attempt's refusal ends the
 * activation Failed (false); a transient one (throttled, token trouble), or one while an earlier
 * Activate may still be under way, is thrown so the job retries — reading first.
 */
async function refused(
  operation: { id: string; subscriptionId: string },
  error: unknown,
  earlier: boolean,
): Promise<boolean> {
  if (earlier || !isMarketplaceError(error) || error.retryable || error.kind === "authentication") throw error;
  logger.warn("Microsoft refused the activation on the follow-up", { operationId: operation.id, error: error.message });
  await db().$transaction([
    db().operation.update({
      where: { id: operation.id },
      data: { status: "Failed", errorMessage: error.message, completedAt: new Date() },
    }),
    recordAudit(db(), {
      subscriptionId: operation.subscriptionId,
      actor: SYSTEM,
      action: "activation_failed",
      detail: { reason: error.kind, reference: operation.id },
    }),
  ]);
  return false;
}
