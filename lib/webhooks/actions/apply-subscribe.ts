import "server-only";
import { db } from "../../db";
import type { MarketplaceOperation } from "../../marketplace/schemas";
import { readSubscription } from "../../subscriptions/read-subscription";
import { syncSubscription } from "../../subscriptions/sync-subscription";
import { recordAudit } from "../../audit/record-audit";
import { marketplaceActor, type WebhookContext, type WebhookOutcome } from "./context";

export interface SubscribeContext extends Omit<WebhookContext, "operation" | "action"> {
  action: "Subscribe";
  /** Microsoft's operation when Get Operation knew it; absent when Get Subscription confirmed the delivery. */
  operation?: MarketplaceOperation;
  confirmedWith: "operation" | "subscription";
}

/**
 * Subscribe (marketplace-contract.md §4.7): a purchase of an auto-activated plan completed, and
 * Microsoft has already made the subscription `Subscribed` and bills it. Nothing to acknowledge
 * and no Activate to call: the subscription is recorded (or converged) from a fresh read of
 * Microsoft through the one sync path, which marks it activated by the marketplace with its
 * account setup pending; the buyer finishes the setup on the landing page (docs/decisions/0008).
 *
 * Idempotent: a redelivery or a second confirmed delivery changes nothing, the newest read of
 * Microsoft wins over a late Subscribe (a plan or seat change that overtook it stays), and the
 * audit row `purchase_completed` is written once per subscription.
 */
export async function applySubscribe({
  event,
  operation,
  subscription,
  snapshot: alreadyRead,
  confirmedWith,
}: SubscribeContext): Promise<WebhookOutcome> {
  if (operation && (operation.status === "Failed" || operation.status === "Conflict"))
    return {
      status: "ignored",
      message: `Microsoft reports the purchase operation ${operation.status}; nothing to apply.`,
    };
  const snapshot = alreadyRead ?? (await readSubscription(subscription.id, { correlationId: event.id }));
  const remote = snapshot.subscription;
  const { after, first } = await db().$transaction(async (tx) => {
    // syncSubscription locks the row: of two deliveries racing, the second sees the first's audit row.
    const synced = await syncSubscription(tx, { snapshot, actor: marketplaceActor, reason: "webhook Subscribe" });
    const recorded = await tx.auditEvent.findFirst({
      where: { subscriptionId: synced.id, action: "purchase_completed" },
      select: { id: true },
    });
    if (!recorded)
      await recordAudit(tx, {
        subscriptionId: synced.id,
        actor: marketplaceActor,
        action: "purchase_completed",
        detail: {
          operationId: event.operationId,
          confirmedWith: confirmedWith === "operation" ? "Get Operation" : "Get Subscription",
          boughtPlanId: event.planId,
          boughtQuantity: event.quantity,
          marketplaceStatus: remote.saasSubscriptionStatus,
        },
      });
    return { after: synced, first: !recorded };
  });
  const state = `${after.status}${after.status === "Subscribed" ? `, account setup ${after.setupState}` : ""}`;
  const how = confirmedWith === "operation" ? "confirmed by Get Operation" : "confirmed by Get Subscription";
  if (!first)
    return {
      status: "applied",
      message: `Purchase already recorded; converged on Microsoft's subscription (${state}). ${capitalize(how)}.`,
    };
  return {
    status: "applied",
    message: `Purchase completed at Microsoft (auto-activated, ${how}): plan ${after.planId}${after.quantity ? `, ${after.quantity} seats` : ""}; ${state}.`,
  };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
