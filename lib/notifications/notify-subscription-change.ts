/**
 * What a change of a subscription tells people, decided from the same before/after pair and the
 * same events that lib/subscriptions/subscription-events.ts announces to the product, in the same
 * transaction — so whichever path wrote the change (the landing page, a webhook, a poll,
 * reconciliation), each person hears of it once:
 *
 * - a new subscription: the publisher's `new_purchase` alert;
 * - live while its account setup is pending (an auto-activated purchase, or one the publisher
 *   activated): `purchase_received` with the setup link, and reminders NOTIFY_SETUP_REMINDER_HOURS
 *   after it (skipped once the setup is done);
 * - set up while active: `subscription_active` (and the reminders stop);
 * - plan or seats changed: `change_completed`; suspended, reinstated, cancelled: their mails.
 *
 * Each cause names the occurrence (the suspension's time, the event's sequence number), so the
 * same occurrence processed again writes nothing new.
 */
import "server-only";
import { notificationsEnv } from "../env";
import type { EventType } from "../events/event-types";
import type { Prisma, Subscription } from "../generated/prisma/client";
import { alertPublisher } from "./alert-publisher";
import { notifyBuyers } from "./notify-buyers";
import { subscriptionFactsOf } from "./subscription-facts";

export interface AnnouncedEvent {
  type: EventType;
  /** The event's sequence number for this subscription: unique per occurrence. */
  sequence: number;
}

/** Reminders (and a purchase mail) still waiting for a subscription are skipped, with the reason. */
export async function stopSetupMails(tx: Prisma.TransactionClient, subscriptionId: string, reason: string) {
  await tx.notification.updateMany({
    where: { subscriptionId, kind: { in: ["setup_reminder", "purchase_received"] }, status: "queued" },
    data: { status: "skipped", lastError: reason, nextAttemptAt: null },
  });
}

export async function notifySubscriptionChange(
  tx: Prisma.TransactionClient,
  before: Subscription | null,
  after: Subscription,
  events: AnnouncedEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const find = (type: EventType) => events.find((event) => event.type === type);
  const facts = subscriptionFactsOf(after);
  const id = after.id;

  if (find("subscription.created"))
    await alertPublisher(tx, {
      kind: "new_purchase",
      cause: `purchase:${id}`,
      subscriptionId: id,
      data: { ...facts, status: after.status, activatedBy: after.activatedBy, tenantId: after.beneficiaryTenantId },
    });

  if (find("subscription.activated") && after.status === "Subscribed" && after.setupState === "pending") {
    const purchasedAt = after.activatedAt ?? new Date();
    await notifyBuyers(tx, after, {
      kind: "purchase_received",
      cause: `purchase:${id}`,
      data: { ...facts, purchasedAt: purchasedAt.toISOString() },
    });
    for (const hours of notificationsEnv().NOTIFY_SETUP_REMINDER_HOURS)
      await notifyBuyers(tx, after, {
        kind: "setup_reminder",
        cause: `setup-reminder:${id}:${hours}h`,
        notBefore: new Date(purchasedAt.getTime() + hours * 3_600_000),
        data: { ...facts, purchasedAt: purchasedAt.toISOString(), hoursAfter: hours },
      });
  }

  if (find("subscription.setup_completed") && after.status === "Subscribed") {
    await stopSetupMails(tx, id, "The account setup was completed.");
    await notifyBuyers(tx, after, { kind: "subscription_active", cause: `active:${id}`, data: facts });
  }

  const change = find("subscription.plan_changed") ?? find("subscription.quantity_changed");
  if (change && before && after.status !== "Unsubscribed")
    await notifyBuyers(tx, after, {
      kind: "change_completed",
      cause: `change:${id}:${change.sequence}`,
      data: {
        ...facts,
        planChange: before.planId !== after.planId ? { from: before.planId, to: after.planId } : null,
        seatsChange: before.quantity !== after.quantity ? { from: before.quantity, to: after.quantity } : null,
      },
    });

  const suspended = find("subscription.suspended");
  if (suspended)
    await notifyBuyers(tx, after, {
      kind: "suspended",
      cause: `suspended:${id}:${after.suspendedAt?.toISOString() ?? `#${suspended.sequence}`}`,
      data: facts,
    });

  const reinstated = find("subscription.reinstated");
  if (reinstated)
    await notifyBuyers(tx, after, {
      kind: "reinstated",
      cause: `reinstated:${id}:${before?.suspendedAt?.toISOString() ?? `#${reinstated.sequence}`}`,
      data: facts,
    });

  if (find("subscription.cancelled")) {
    await stopSetupMails(tx, id, "The subscription was cancelled.");
    await notifyBuyers(tx, after, {
      kind: "cancelled",
      cause: `cancelled:${id}`,
      data: {
        ...facts,
        dataRetainedUntil: after.dataRetainedUntil?.toISOString() ?? null,
        // Never live (no activation): Microsoft ended the purchase while it waited — it expired or
        // was cancelled before it was set up; the mail says so instead of "cancelled, data kept until".
        endedBeforeActivation: after.activatedAt === null,
      },
    });
  }
}
