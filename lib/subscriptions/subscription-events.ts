/**
 * The events a change of a subscription row means (lib/events, README “Events”), written in the
 * same transaction as the change. Each write path of lib/subscriptions hands over the row before
 * and after its change; the difference decides the events, so a change described once is
 * announced once whichever path made it (the landing page, a webhook, a poll, reconciliation),
 * and a write that changes nothing announces nothing.
 */
import "server-only";
import type { Prisma, Subscription } from "../generated/prisma/client";
import { emitEvent } from "../events/emit-event";
import type { EventType } from "../events/event-types";
import { notifySubscriptionChange, type AnnouncedEvent } from "../notifications/notify-subscription-change";

const isLive = (status: Subscription["status"]) => status === "Subscribed" || status === "Suspended";
const iso = (date: Date | null) => date?.toISOString() ?? null;

export interface SubscriptionEvent {
  type: EventType;
  change: Prisma.InputJsonObject;
}

/** The events between two states of one subscription, in the order they are announced. Pure. */
export function subscriptionEvents(before: Subscription | null, after: Subscription): SubscriptionEvent[] {
  const events: SubscriptionEvent[] = [];
  if (!before) {
    events.push({ type: "subscription.created", change: { status: after.status } });
    if (isLive(after.status))
      events.push({ type: "subscription.activated", change: { activatedBy: after.activatedBy, status: after.status } });
    return events;
  }
  if (before.planId !== after.planId)
    events.push({
      type: "subscription.plan_changed",
      change: {
        plan: { from: before.planId, to: after.planId },
        ...(before.quantity !== after.quantity ? { seats: { from: before.quantity, to: after.quantity } } : {}),
      },
    });
  else if (before.quantity !== after.quantity)
    events.push({
      type: "subscription.quantity_changed",
      change: { seats: { from: before.quantity, to: after.quantity } },
    });
  if (before.termEndDate && after.termEndDate && after.termEndDate > before.termEndDate)
    events.push({
      type: "subscription.renewed",
      change: {
        term: {
          from: { startDate: iso(before.termStartDate), endDate: iso(before.termEndDate) },
          to: { startDate: iso(after.termStartDate), endDate: iso(after.termEndDate) },
        },
      },
    });
  if (before.status !== after.status) {
    const status = { from: before.status, to: after.status };
    if (after.status === "Unsubscribed") events.push({ type: "subscription.cancelled", change: { status } });
    else if (after.status === "Suspended") events.push({ type: "subscription.suspended", change: { status } });
    else if (after.status === "Subscribed" && before.status === "Suspended")
      events.push({ type: "subscription.reinstated", change: { status } });
    else if (after.status === "Subscribed")
      events.push({ type: "subscription.activated", change: { status, activatedBy: after.activatedBy } });
  }
  if (before.setupState !== "complete" && after.setupState === "complete")
    events.push({
      type: "subscription.setup_completed",
      change: { setupState: { from: before.setupState, to: "complete" } },
    });
  return events;
}

/**
 * Writes the events of a change (see subscriptionEvents) in the caller's transaction, and the
 * notifications they mean to people (lib/notifications/notify-subscription-change.ts).
 */
export async function announceSubscriptionChange(
  tx: Prisma.TransactionClient,
  before: Subscription | null,
  after: Subscription,
  context: { reason?: string } = {},
): Promise<void> {
  const announced: AnnouncedEvent[] = [];
  for (const event of subscriptionEvents(before, after)) {
    const { sequence } = await emitEvent(tx, {
      type: event.type,
      subscriptionId: after.id,
      data: { change: { ...event.change, ...(context.reason ? { reason: context.reason } : {}) } },
    });
    announced.push({ type: event.type, sequence });
  }
  await notifySubscriptionChange(tx, before, after, announced);
}
