import "server-only";
import { z } from "zod";
import { db, isUniqueViolation } from "../db";
import { defineJob } from "../jobs/define-job";
import { isMarketplaceError, marketplace, type MarketplaceOperation } from "../marketplace";
import { logger } from "../logger";
import { readSubscription, type SubscriptionSnapshot } from "../subscriptions/read-subscription";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { applyChange } from "./actions/apply-change";
import { applyReinstate } from "./actions/apply-reinstate";
import { applyStatusNotice } from "./actions/apply-status-notice";
import { applySubscribe } from "./actions/apply-subscribe";
import { confirmSubscribeWithSubscription } from "./confirm-subscribe";
import type { WebhookContext, WebhookOutcome } from "./actions/context";
import { isKnownAction, type KnownAction } from "./webhook-payload";
import { FINAL_WEBHOOK_STATUSES } from "./webhook-statuses";
import { alertWebhookRefused } from "../notifications/alert-webhook-refused";
import { lockSubscription } from "../subscriptions/lock-subscription";

const handlers: Record<Exclude<KnownAction, "Subscribe">, (context: WebhookContext) => Promise<WebhookOutcome>> = {
  ChangePlan: applyChange,
  ChangeQuantity: applyChange,
  Reinstate: applyReinstate,
  Suspend: applyStatusNotice,
  Unsubscribe: applyStatusNotice,
  Renew: applyStatusNotice,
};

const FINAL = new Set(FINAL_WEBHOOK_STATUSES);
const STATUS_NOTICES = new Set(["Suspend", "Reinstate", "Unsubscribe", "Renew"]);

/** The job written with every recorded delivery (receive-webhook.ts); the console's "process again" re-queues it. */
export const processWebhookEventJob = defineJob({
  name: "process-webhook-event",
  payload: z.object({ eventId: z.string() }),
  key: (payload) => payload.eventId,
  // Microsoft retries a delivery for 8 hours: ours keeps trying for about as long (backoff, capped by pg-boss).
  retry: { limit: 19, delaySeconds: 1, backoff: true },
  expireInSeconds: 120,
  concurrency: 4,
  run: (payload) => processWebhookEvent(payload),
});

/**
 * Processes one recorded webhook event (a job; safe to run again). Never trusts the payload:
 * the operation is confirmed with Microsoft (Get Operation) and must match action, subscription,
 * plan and quantity; each action's handler then converges our state on Microsoft's. A `Subscribe`
 * whose operation Microsoft does not know is confirmed with Get Subscription instead
 * (confirm-subscribe.ts, docs/decisions/0008).
 */
export async function processWebhookEvent(options: { eventId: string }): Promise<void> {
  const event = await db().webhookEvent.findUnique({ where: { id: options.eventId } });
  if (!event || FINAL.has(event.status)) return;
  await db().webhookEvent.update({ where: { id: event.id }, data: { status: "processing" } });

  // A delivery Microsoft does not confirm alerts the publisher's team, with its final status.
  const finish = (outcome: WebhookOutcome, lastEventAt?: Date) =>
    db().$transaction(async (tx) => {
      await lockSubscription(tx, event.subscriptionId);
      await tx.webhookEvent.update({
        where: { id: event.id },
        data: { status: outcome.status, outcome: outcome.message, processedAt: new Date() },
      });
      if (lastEventAt) await tx.subscription.update({ where: { id: event.subscriptionId }, data: { lastEventAt } });
      if (outcome.status === "unconfirmed") await alertWebhookRefused(tx, event, outcome.message);
    });

  if (!isKnownAction(event.action)) {
    await finish({ status: "ignored", message: `Action "${event.action}" is not one we act on; recorded only.` });
    return;
  }

  let operation: MarketplaceOperation | undefined;
  let snapshot: SubscriptionSnapshot | undefined;
  try {
    operation = await marketplace().getOperation(event.subscriptionId, event.operationId, { correlationId: event.id });
  } catch (error) {
    if (!isMarketplaceError(error, "not_found")) throw error; // transient: the job retries
    if (event.action !== "Subscribe") {
      await finish({
        status: "unconfirmed",
        message: "Microsoft does not know this operation: the delivery was not confirmed and nothing was changed.",
      });
      logger.warn("webhook refused: operation unknown at Microsoft", {
        eventId: event.id,
        operationId: event.operationId,
      });
      return;
    }
    const confirmation = await confirmSubscribeWithSubscription(event);
    if (!confirmation.ok) {
      await finish({ status: "unconfirmed", message: confirmation.message });
      logger.warn("webhook refused: Subscribe not confirmed by Microsoft's subscription", {
        eventId: event.id,
        operationId: event.operationId,
        reason: confirmation.message,
      });
      return;
    }
    snapshot = confirmation.snapshot;
  }
  const mismatch = operation ? compare(event, operation) : null;
  if (mismatch) {
    await finish({
      status: "unconfirmed",
      message: `The delivery does not match Microsoft's operation (${mismatch}); nothing was changed.`,
    });
    logger.warn("webhook refused: payload does not match the operation", { eventId: event.id, mismatch });
    return;
  }
  // Confirmed by Microsoft: this delivery now holds the operation's key. Another confirmed
  // delivery of the same operation and action (a repeat with a different body) changes nothing.
  const holder = await claimOperationKey(event.id, `${event.operationId}:${event.action}`);
  if (holder) {
    await finish({ status: "duplicate", message: `Already processed from delivery ${holder}; nothing was changed.` });
    return;
  }

  let subscription = await db().subscription.findUnique({ where: { id: event.subscriptionId } });
  if (!subscription) {
    // Microsoft may tell us about a subscription nobody has opened the landing page for yet.
    const read = snapshot ?? (await readSubscription(event.subscriptionId, { correlationId: event.id }));
    snapshot = read;
    subscription = await db().$transaction((tx) =>
      syncSubscription(tx, { snapshot: read, actor: { actorType: "marketplace" }, reason: `webhook ${event.action}` }),
    );
  }
  // Microsoft does not promise ordering (marketplace-contract.md §8.6): a status notice older than the newest event we
  // applied is out of date (e.g. a late Reinstate after Unsubscribe). Plan and seat changes are
  // decided by their operation's own status instead.
  if (
    STATUS_NOTICES.has(event.action) &&
    event.eventTime &&
    subscription.lastEventAt &&
    event.eventTime < subscription.lastEventAt
  ) {
    await finish({
      status: "stale",
      message: `Older (${event.eventTime.toISOString()}) than the last event applied (${subscription.lastEventAt.toISOString()}); nothing was changed.`,
    });
    return;
  }
  const action = event.action;
  const withSnapshot = snapshot ? { snapshot } : {};
  const outcome =
    action === "Subscribe"
      ? await applySubscribe({
          action,
          event,
          subscription,
          ...withSnapshot,
          ...(operation
            ? { operation, confirmedWith: "operation" as const }
            : { confirmedWith: "subscription" as const }),
        })
      : operation
        ? await handlers[action]({ action, event, operation, subscription, ...withSnapshot })
        : { status: "unconfirmed" as const, message: "Not confirmed by Microsoft; nothing was changed." };
  const newest =
    outcome.status === "applied" &&
    event.eventTime &&
    (!subscription.lastEventAt || event.eventTime > subscription.lastEventAt)
      ? event.eventTime
      : undefined;
  await finish(outcome, newest);
}

/** Sets the event's verifiedKey; returns the id of the event that already holds it, if another does. */
async function claimOperationKey(eventId: string, key: string): Promise<string | null> {
  try {
    await db().webhookEvent.update({ where: { id: eventId }, data: { verifiedKey: key } });
    return null;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const holder = await db().webhookEvent.findUnique({ where: { verifiedKey: key }, select: { id: true } });
    return holder && holder.id !== eventId ? holder.id : null;
  }
}

function compare(
  event: { action: string; subscriptionId: string; planId: string | null; quantity: number | null },
  operation: MarketplaceOperation,
): string | null {
  if (operation.action.toLowerCase() !== event.action.toLowerCase())
    return `action ${event.action} ≠ ${operation.action}`;
  if (operation.subscriptionId.toLowerCase() !== event.subscriptionId.toLowerCase()) return "subscription differs";
  if (event.planId && operation.planId && event.planId !== operation.planId)
    return `plan ${event.planId} ≠ ${operation.planId}`;
  if (event.quantity !== null && operation.quantity !== undefined && event.quantity !== operation.quantity)
    return `quantity ${event.quantity} ≠ ${operation.quantity}`;
  return null;
}
