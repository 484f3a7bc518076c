import "server-only";
import { db } from "../../db";
import { PENDING_STATUSES } from "../../operations/pending-change";
import { recordMarketplaceOperation } from "../../operations/record-marketplace-operation";
import { readSubscription } from "../../subscriptions/read-subscription";
import { syncSubscription } from "../../subscriptions/sync-subscription";
import { marketplaceActor, type WebhookContext, type WebhookOutcome } from "./context";
import { recordAudit } from "../../audit/record-audit";
import { lockSubscription } from "../../subscriptions/lock-subscription";

const transitionNames = { Suspend: "suspended", Unsubscribe: "unsubscribed", Renew: "renewed" } as const;

/**
 * Suspend, Unsubscribe and Renew are notifications: Microsoft has already made the change
 * (marketplace-contract.md §4.6). We re-read the subscription and converge on it, so a late or duplicate notice cannot
 * undo a newer state (a late Suspend after a Reinstate finds the subscription Subscribed).
 */
export async function applyStatusNotice({
  event,
  subscription,
  snapshot: alreadyRead,
}: WebhookContext): Promise<WebhookOutcome> {
  const action = event.action as keyof typeof transitionNames;
  const snapshot = alreadyRead ?? (await readSubscription(subscription.id, { correlationId: event.id }));
  const remote = snapshot.subscription;
  const before = subscription;
  const after = await db().$transaction(async (tx) => {
    await lockSubscription(tx, subscription.id);
    // This notice is newer than anything applied (processWebhookEvent checked): an accepted
    // reinstatement still waiting to show at Microsoft is superseded by it (a Suspend after a
    // Reinstate). Accepted plan and seat changes still wait for their values.
    if (action !== "Renew")
      await tx.operation.updateMany({
        where: { subscriptionId: subscription.id, action: "Reinstate", confirmUntil: { not: null } },
        data: { confirmUntil: null },
      });
    const synced = await syncSubscription(tx, {
      snapshot,
      actor: marketplaceActor,
      reason: `webhook ${action}`,
      transitionAction: transitionNames[action],
    });
    // Our own cancellation (DELETE) notified back: it settles the customer's request, also when
    // the DELETE's answer never reached us.
    if (
      action === "Unsubscribe" &&
      event.requestSource === "Partner" &&
      remote.saasSubscriptionStatus === "Unsubscribed"
    ) {
      const open = await tx.operation.findFirst({
        where: { subscriptionId: subscription.id, action: "Unsubscribe", status: { in: PENDING_STATUSES } },
      });
      const row = await recordMarketplaceOperation(tx, {
        marketplaceOperationId: event.operationId,
        subscriptionId: subscription.id,
        action: "Unsubscribe",
        status: "Succeeded",
        source: "Publisher",
      });
      if (open && row.id === open.id) {
        await tx.operation.update({ where: { id: row.id }, data: { completedAt: new Date() } });
        await recordAudit(tx, {
          subscriptionId: subscription.id,
          actor: { actorType: "system" },
          action: "change_completed",
          detail: { operationId: row.id, action: "Unsubscribe", status: "Succeeded" },
        });
      }
    }
    // One "renewed" row per term: Microsoft has sent Renew twice for one renewal (two operations,
    // the same term), and a reconciliation may have brought the new term in first.
    const termStart = synced.termStartDate?.toISOString() ?? null;
    const alreadyRecorded =
      action === "Renew" &&
      termStart !== null &&
      (await tx.auditEvent.count({
        where: {
          subscriptionId: subscription.id,
          action: "renewed",
          detail: { path: ["termStart"], equals: termStart },
        },
      })) > 0;
    if (action === "Renew" && !alreadyRecorded) {
      await recordAudit(tx, {
        subscriptionId: subscription.id,
        actor: marketplaceActor,
        action: "renewed",
        detail: {
          termStart,
          termEnd: synced.termEndDate?.toISOString() ?? null,
        },
      });
    }
    return synced;
  });
  if (action === "Renew")
    return {
      status: "applied",
      message: `Renewed: term now ${after.termStartDate?.toISOString().slice(0, 10) ?? "?"} – ${after.termEndDate?.toISOString().slice(0, 10) ?? "?"}.`,
    };
  const expected = action === "Suspend" ? "Suspended" : "Unsubscribed";
  if (remote.saasSubscriptionStatus !== expected) {
    return {
      status: "stale",
      message: `Out of date: Microsoft now reports ${remote.saasSubscriptionStatus}; kept ${after.status}.`,
    };
  }
  if (before.status === after.status)
    return { status: "applied", message: `Subscription already ${after.status}; nothing to change.` };
  return { status: "applied", message: `${before.status} → ${after.status}.` };
}
