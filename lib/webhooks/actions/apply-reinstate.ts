import "server-only";
import { db } from "../../db";
import { policyEnv } from "../../env";
import { wakeWorkers } from "../../jobs/wake";
import { isFinalOperationStatus } from "../../marketplace";
import { recordMarketplaceOperation } from "../../operations/record-marketplace-operation";
import { readSubscription } from "../../subscriptions/read-subscription";
import { syncSubscription } from "../../subscriptions/sync-subscription";
import { transitionSubscription } from "../../subscriptions/transition-subscription";
import { decideChange } from "../../subscriptions/publisher-policy";
import { marketplaceActor, type WebhookContext, type WebhookOutcome } from "./context";
import { queueAcknowledgement } from "./queue-acknowledgement";
import { recordAudit } from "../../audit/record-audit";
import { lockSubscription } from "../../subscriptions/lock-subscription";

/**
 * Reinstate (marketplace-contract.md §4.6, §7.4): payment arrived during the grace period. Microsoft's documents disagree
 * on whether it waits for an acknowledgement (§15.4), and both forms have been seen:
 * - Microsoft still waits (operation InProgress): restore access and acknowledge Success — or, when
 *   it cannot be accepted (already cancelled on our side, or the product refuses), Failure: the
 *   subscription then stays Suspended at Microsoft, which ends it after the grace period;
 * - notify-only (the operation is already final): converge on Microsoft's subscription, so a
 *   customer Microsoft reinstated gets access back, and one it did not stays suspended.
 * A late Reinstate never revives an Unsubscribed subscription (the state machine refuses it).
 */
export async function applyReinstate({
  action,
  event,
  operation,
  subscription,
  snapshot: alreadyRead,
}: WebhookContext): Promise<WebhookOutcome> {
  if (isFinalOperationStatus(operation.status)) {
    const finalStatus = operation.status;
    const snapshot = alreadyRead ?? (await readSubscription(subscription.id, { correlationId: event.id }));
    const after = await db().$transaction(async (tx) => {
      await lockSubscription(tx, subscription.id);
      await recordMarketplaceOperation(tx, {
        marketplaceOperationId: event.operationId,
        subscriptionId: subscription.id,
        action: "Reinstate",
        status: finalStatus,
        source: "Marketplace",
      });
      return syncSubscription(tx, {
        snapshot,
        actor: marketplaceActor,
        reason: `webhook Reinstate (already ${operation.status} at Microsoft)`,
        transitionAction: "reinstated",
      });
    });
    const remote = snapshot.subscription.saasSubscriptionStatus;
    if (after.status === "Subscribed" && subscription.status !== "Subscribed")
      return {
        status: "applied",
        message: `Already ${operation.status} at Microsoft, which now reports ${remote}: access restored.`,
      };
    if (remote !== "Subscribed")
      return {
        status: "stale",
        message: `Microsoft reports the reinstatement ${operation.status} and the subscription ${remote}; kept ${after.status}.`,
      };
    return {
      status: "applied",
      message: `Already ${operation.status} at Microsoft; subscription ${after.status}, nothing else to do.`,
    };
  }

  const decision =
    subscription.status === "Unsubscribed"
      ? {
          accept: false as const,
          reason: "The subscription is already cancelled; a late reinstatement cannot revive it.",
        }
      : await decideChange(policyEnv().PUBLISHER_POLICY, {
          subscriptionId: subscription.id,
          action: "Reinstate",
          currentPlanId: subscription.planId,
          currentQuantity: subscription.quantity,
          planId: subscription.planId,
          quantity: subscription.quantity,
        });

  let changed = false;
  await db().$transaction(async (tx) => {
    await lockSubscription(tx, subscription.id);
    if (decision.accept && subscription.status === "Suspended") {
      changed = await transitionSubscription(tx, {
        subscriptionId: subscription.id,
        from: "Suspended",
        to: "Subscribed",
        action: "reinstated",
        actor: marketplaceActor,
        data: { suspendedAt: null },
        detail: { operationId: event.operationId },
      });
    } else if (!decision.accept) {
      await recordAudit(tx, {
        subscriptionId: subscription.id,
        actor: marketplaceActor,
        action: "reinstate_refused",
        detail: { reason: decision.reason, operationId: event.operationId },
      });
    }
    await queueAcknowledgement(tx, { action, event, accept: decision.accept });
  });
  wakeWorkers();
  if (!decision.accept)
    return { status: subscription.status === "Unsubscribed" ? "stale" : "refused", message: decision.reason };
  return {
    status: "applied",
    message: changed
      ? "Suspended → Subscribed: access restored."
      : `Subscription already ${subscription.status}; acknowledged.`,
  };
}
