import "server-only";
import { db } from "../../db";
import { webhookEnv } from "../../env";
import { enqueueJob } from "../../jobs/enqueue-job";
import { wakeWorkers } from "../../jobs/wake";
import { ACKNOWLEDGE_JOB } from "../../operations/acknowledge-operation";
import { recordMarketplaceOperation } from "../../operations/record-marketplace-operation";
import { transitionSubscription } from "../../subscriptions/transition-subscription";
import { decideChange } from "../publisher-policy";
import { marketplaceActor, type WebhookContext, type WebhookOutcome } from "./context";

/**
 * Reinstate (§4.6, §7.4): payment arrived during the grace period. Restore access and acknowledge
 * Success (harmless where not needed). When it cannot be accepted — the subscription is already
 * cancelled on our side, or the product refuses — acknowledge Failure: the subscription stays
 * Suspended at Microsoft, which ends it after the grace period. A late Reinstate never revives an
 * Unsubscribed subscription.
 */
export async function applyReinstate({ event, operation, subscription }: WebhookContext): Promise<WebhookOutcome> {
  if (operation.status !== "InProgress" && operation.status !== "NotStarted") {
    return { status: "ignored", message: `Microsoft reports the reinstatement ${operation.status}; nothing to decide.` };
  }
  const decision = subscription.status === "Unsubscribed"
    ? { accept: false as const, reason: "The subscription is already cancelled; a late reinstatement cannot revive it." }
    : await decideChange(webhookEnv().PUBLISHER_POLICY, {
      subscriptionId: subscription.id, action: "Reinstate", currentPlanId: subscription.planId, currentQuantity: subscription.quantity, planId: subscription.planId, quantity: subscription.quantity,
    });

  let changed = false;
  await db().$transaction(async (tx) => {
    if (decision.accept && subscription.status === "Suspended") {
      changed = await transitionSubscription(tx, { subscriptionId: subscription.id, from: "Suspended", to: "Subscribed", action: "reinstated", actor: marketplaceActor, data: { suspendedAt: null }, detail: { operationId: event.operationId } });
    } else if (!decision.accept) {
      await tx.auditEvent.create({ data: { subscriptionId: subscription.id, ...marketplaceActor, action: "reinstate_refused", detail: { reason: decision.reason, operationId: event.operationId } } });
    }
    await recordMarketplaceOperation(tx, { marketplaceOperationId: event.operationId, subscriptionId: subscription.id, action: "Reinstate", status: "InProgress", source: "Marketplace" });
    await enqueueJob(tx, { type: ACKNOWLEDGE_JOB, payload: { subscriptionId: subscription.id, operationId: event.operationId, status: decision.accept ? "Success" : "Failure", eventId: event.id }, singletonKey: `ack:${event.operationId}`, maxAttempts: 8 });
  });
  wakeWorkers();
  if (!decision.accept) return { status: subscription.status === "Unsubscribed" ? "stale" : "refused", message: decision.reason };
  return { status: "applied", message: changed ? "Suspended → Subscribed: access restored." : `Subscription already ${subscription.status}; acknowledged.` };
}
