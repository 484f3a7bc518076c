import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError, fromMarketplaceError } from "../errors";
import { readSubscription } from "../subscriptions/read-subscription";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { publisherAudit } from "./publisher-actor";
import { recordAudit } from "../audit/record-audit";

/** Re-reads one subscription from Microsoft (Get Subscription) and converges our row on it, through the state machine. */
export async function resyncSubscription(options: { subscriptionId: string; actor: Actor }) {
  const existing = await db().subscription.findUnique({
    where: { id: options.subscriptionId },
    select: { id: true, status: true, planId: true, quantity: true },
  });
  if (!existing) throw new AppError("subscription_unknown");
  const snapshot = await readSubscription(existing.id).catch((error: unknown) => {
    throw fromMarketplaceError(error, "read");
  });
  const audit = publisherAudit(options.actor);
  const row = await db().$transaction(async (tx) => {
    const synced = await syncSubscription(tx, { snapshot, actor: audit, reason: "publisher re-sync" });
    await recordAudit(tx, {
      subscriptionId: existing.id,
      actor: audit,
      action: "publisher_resynced",
      detail: {
        before: { status: existing.status, planId: existing.planId, quantity: existing.quantity },
        after: { status: synced.status, planId: synced.planId, quantity: synced.quantity },
        microsoftStatus: snapshot.subscription.saasSubscriptionStatus,
      },
    });
    return synced;
  });
  return { status: row.status, refused: row.status !== snapshot.subscription.saasSubscriptionStatus };
}
