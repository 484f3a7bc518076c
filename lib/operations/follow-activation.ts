import "server-only";
import { db } from "../db";
import { enqueueJob } from "../jobs/enqueue-job";
import { readSubscription } from "../subscriptions/read-subscription";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { pollDelayMs } from "./follow-operation";

export const FOLLOW_ACTIVATION_JOB = "follow-activation";
const MAX_POLLS = 20; // ~15 minutes with pollDelayMs; then the operation is failed so an admin sees it

/**
 * Activation is asynchronous at Microsoft (§6.2): Activate may be accepted while the subscription
 * still reads PendingFulfillmentStart, and no webhook follows. This job re-reads the subscription
 * with backoff until Microsoft reports another status, then closes the Activate operation and
 * applies the status, so the buyer's "finishing the activation" page updates by itself.
 */
export async function followActivation(options: { operationId: string; poll: number }): Promise<void> {
  const operation = await db().operation.findUnique({ where: { id: options.operationId } });
  if (!operation || operation.action !== "Activate" || operation.status !== "InProgress") return;
  const snapshot = await readSubscription(operation.subscriptionId, { correlationId: operation.id });
  const stillPending = snapshot.subscription.saasSubscriptionStatus === "PendingFulfillmentStart";
  if (stillPending && options.poll < MAX_POLLS) {
    await enqueueJob(db(), { type: FOLLOW_ACTIVATION_JOB, payload: { operationId: operation.id, poll: options.poll + 1 }, runAt: new Date(Date.now() + pollDelayMs(options.poll + 1)), maxAttempts: 5 });
    return;
  }
  await db().$transaction(async (tx) => {
    await tx.operation.update({
      where: { id: operation.id },
      data: stillPending
        ? { status: "Failed", completedAt: new Date(), errorMessage: "Microsoft accepted the activation but still reports PendingFulfillmentStart after 15 minutes; retry the activation." }
        : { status: "Succeeded", completedAt: new Date() },
    });
    await syncSubscription(tx, { snapshot, actor: { actorType: "system" }, reason: "activation completed at Microsoft", transitionAction: "activated" });
  });
}
