import "server-only";
import { db } from "../../db";
import { policyEnv } from "../../env";
import { wakeWorkers } from "../../jobs/wake";
import { recordMarketplaceOperation } from "../../operations/record-marketplace-operation";
import { applyAcceptedChange } from "../../subscriptions/apply-accepted-change";
import { decideChange } from "../../subscriptions/publisher-policy";
import { readSubscription } from "../../subscriptions/read-subscription";
import { syncSubscription } from "../../subscriptions/sync-subscription";
import { marketplaceActor, type WebhookContext, type WebhookOutcome } from "./context";
import { queueAcknowledgement } from "./queue-acknowledgement";
import { notifyChangeFailed } from "../../notifications/notify-change-failed";
import { recordAudit } from "../../audit/record-audit";
import { lockSubscription } from "../../subscriptions/lock-subscription";

/**
 * ChangePlan / ChangeQuantity (marketplace-contract.md §4.5): while Microsoft's operation is InProgress we decide with
 * the publisher's policy, apply the change on our side when accepting, and acknowledge Success or
 * Failure in a separate job (inside the 10-second window). If the operation is already final
 * (auto-accepted, or a change we started whose webhook arrives late), we converge on
 * Microsoft's subscription instead.
 */
export async function applyChange({
  action,
  event,
  operation,
  subscription,
  snapshot: alreadyRead,
}: WebhookContext): Promise<WebhookOutcome> {
  const isPlan = event.action === "ChangePlan";
  const targetPlan = event.planId ?? operation.planId ?? subscription.planId;
  const targetQuantity = event.quantity ?? operation.quantity ?? subscription.quantity;

  if (operation.status !== "InProgress" && operation.status !== "NotStarted") {
    if (operation.status !== "Succeeded")
      return { status: "ignored", message: `Microsoft reports the operation ${operation.status}; nothing to apply.` };
    const snapshot = alreadyRead ?? (await readSubscription(subscription.id, { correlationId: event.id }));
    const remote = snapshot.subscription;
    await db().$transaction(async (tx) => {
      await syncSubscription(tx, {
        snapshot,
        actor: marketplaceActor,
        reason: `webhook ${event.action} (already completed)`,
      });
      await recordMarketplaceOperation(tx, {
        marketplaceOperationId: event.operationId,
        subscriptionId: event.subscriptionId,
        action,
        status: "Succeeded",
        source: event.requestSource === "Partner" ? "Publisher" : "Marketplace",
        requestedPlanId: targetPlan,
        requestedQuantity: targetQuantity ?? null,
      });
    });
    return {
      status: "applied",
      message: `Operation already completed at Microsoft; now plan ${remote.planId}${remote.quantity ? `, ${remote.quantity} seats` : ""}.`,
    };
  }

  const decision =
    subscription.status === "Unsubscribed"
      ? { accept: false as const, reason: "The subscription is cancelled." }
      : await decideChange(policyEnv().PUBLISHER_POLICY, {
          subscriptionId: subscription.id,
          action: isPlan ? "ChangePlan" : "ChangeQuantity",
          currentPlanId: subscription.planId,
          currentQuantity: subscription.quantity,
          planId: targetPlan,
          quantity: targetQuantity ?? null,
        });

  await db().$transaction(async (tx) => {
    await lockSubscription(tx, subscription.id);
    if (decision.accept) {
      await applyAcceptedChange(tx, {
        subscription,
        change: isPlan
          ? { kind: "plan", planId: targetPlan, quantity: event.quantity }
          : { kind: "quantity", quantity: targetQuantity ?? null },
        actor: marketplaceActor,
        detail: { operationId: event.operationId, source: event.requestSource },
      });
    } else {
      await recordAudit(tx, {
        subscriptionId: subscription.id,
        actor: marketplaceActor,
        action: "change_refused",
        detail: {
          action: event.action,
          planId: targetPlan,
          quantity: targetQuantity,
          reason: decision.reason,
          operationId: event.operationId,
        },
      });
      await notifyChangeFailed(tx, {
        subscriptionId: subscription.id,
        marketplaceOperationId: event.operationId,
        action: event.action,
        requestedPlanId: isPlan ? targetPlan : null,
        requestedQuantity: targetQuantity ?? null,
        reason: decision.reason,
      });
    }
    await queueAcknowledgement(tx, {
      action,
      event,
      accept: decision.accept,
      requestedPlanId: targetPlan,
      requestedQuantity: targetQuantity ?? null,
    });
  });
  wakeWorkers();
  return decision.accept
    ? {
        status: "applied",
        message: `${isPlan ? `Plan ${subscription.planId} → ${targetPlan}` : `Seats ${subscription.quantity ?? "–"} → ${targetQuantity}`}. ${decision.reason}`,
      }
    : { status: "refused", message: `Refused: ${decision.reason}` };
}
