import "server-only";
import { db, type Prisma } from "../../db";
import { recordMarketplaceOperation } from "../../operations/record-marketplace-operation";
import { webhookEnv } from "../../env";
import { enqueueJob } from "../../jobs/enqueue-job";
import { wakeWorkers } from "../../jobs/wake";
import { ACKNOWLEDGE_JOB } from "../../operations/acknowledge-operation";
import { CONFIRM_WINDOW_MS } from "../../subscriptions/acknowledged-changes";
import { readSubscription } from "../../subscriptions/read-subscription";
import { syncSubscription } from "../../subscriptions/sync-subscription";
import { decideChange } from "../publisher-policy";
import { marketplaceActor, type WebhookContext, type WebhookOutcome } from "./context";

/**
 * ChangePlan / ChangeQuantity (marketplace-contract.md §4.5): while Microsoft's operation is InProgress we decide with
 * the publisher's policy, apply the change on our side when accepting, and acknowledge Success or
 * Failure in a separate job (inside the 10-second window). If the operation is already final
 * (auto-accepted, or a change we started whose webhook arrives late), we converge on
 * Microsoft's subscription instead.
 */
export async function applyChange({
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
      await recordOperation(tx, event, "Succeeded", targetPlan, targetQuantity);
    });
    return {
      status: "applied",
      message: `Operation already completed at Microsoft; now plan ${remote.planId}${remote.quantity ? `, ${remote.quantity} seats` : ""}.`,
    };
  }

  const decision =
    subscription.status === "Unsubscribed"
      ? { accept: false as const, reason: "The subscription is cancelled." }
      : await decideChange(webhookEnv().PUBLISHER_POLICY, {
          subscriptionId: subscription.id,
          action: isPlan ? "ChangePlan" : "ChangeQuantity",
          currentPlanId: subscription.planId,
          currentQuantity: subscription.quantity,
          planId: targetPlan,
          quantity: targetQuantity ?? null,
        });

  await db().$transaction(async (tx) => {
    if (decision.accept) {
      await tx.subscription.update({
        where: { id: subscription.id },
        data: isPlan
          ? { planId: targetPlan, ...(event.quantity !== null ? { quantity: event.quantity } : {}) }
          : { quantity: targetQuantity },
      });
      await tx.auditEvent.create({
        data: {
          subscriptionId: subscription.id,
          ...marketplaceActor,
          action: isPlan ? "plan_changed" : "quantity_changed",
          detail: isPlan
            ? { from: subscription.planId, to: targetPlan, operationId: event.operationId, source: event.requestSource }
            : {
                from: subscription.quantity,
                to: targetQuantity,
                operationId: event.operationId,
                source: event.requestSource,
              },
        },
      });
    } else {
      await tx.auditEvent.create({
        data: {
          subscriptionId: subscription.id,
          ...marketplaceActor,
          action: "change_refused",
          detail: {
            action: event.action,
            planId: targetPlan,
            quantity: targetQuantity,
            reason: decision.reason,
            operationId: event.operationId,
          },
        },
      });
    }
    const row = await recordOperation(tx, event, "InProgress", targetPlan, targetQuantity);
    // Accepted: Microsoft's subscription shows it only a moment after our acknowledgement; until
    // then a read still showing the old plan or seats must not undo it (acknowledged-changes.ts).
    if (decision.accept)
      await tx.operation.update({
        where: { id: row.id },
        data: { confirmUntil: new Date(Date.now() + CONFIRM_WINDOW_MS) },
      });
    await enqueueJob(tx, {
      type: ACKNOWLEDGE_JOB,
      payload: {
        subscriptionId: subscription.id,
        operationId: event.operationId,
        status: decision.accept ? "Success" : "Failure",
        eventId: event.id,
      },
      singletonKey: `ack:${event.operationId}`,
      maxAttempts: 8,
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

function recordOperation(
  tx: Prisma.TransactionClient,
  event: WebhookContext["event"],
  status: string,
  planId: string,
  quantity: number | null | undefined,
) {
  return recordMarketplaceOperation(tx, {
    marketplaceOperationId: event.operationId,
    subscriptionId: event.subscriptionId,
    action: event.action,
    status,
    source: event.requestSource === "Partner" ? "Publisher" : "Marketplace",
    requestedPlanId: planId,
    requestedQuantity: quantity ?? null,
  });
}
