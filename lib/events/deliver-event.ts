/**
 * The delivery job: one event to one endpoint, one attempt per run (docs/decisions/0013). Signs the
 * event (sign-event.ts), sends it to a checked address (send-event.ts), records the attempt, and
 * then: delivered; or 410 Gone — the endpoint is disabled; or another failure — the next attempt is
 * booked with backoff and jitter (retry-schedule.ts) until the retry window closes, then the
 * delivery is dead-lettered. A failing or slow endpoint never holds up the others: each delivery
 * is a job of its own, at most EVENT_ENDPOINT_MAX_IN_FLIGHT of them per endpoint run at once in a
 * process, and the rest of the workers serve other endpoints.
 */
import "server-only";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { db } from "../db";
import { eventsEnv } from "../env";
import type { EventDelivery, OutboxEvent, Prisma } from "../generated/prisma/client";
import { defineJob } from "../jobs/define-job";
import { enqueue } from "../jobs/enqueue";
import { logger } from "../logger";
import { alertDeliveryDeadLettered } from "../notifications/alert-delivery-dead-lettered";
import { eventTypeName } from "./event-types";
import { busyEndpointDelayMs, nextAttemptAt, retrySettings } from "./retry-schedule";
import { sendEvent, type AttemptResult } from "./send-event";
import { signEvent, signingSecrets } from "./sign-event";

export const deliverEventJob = defineJob({
  name: "deliver-event",
  payload: z.object({ deliveryId: z.uuid() }),
  key: (payload) => payload.deliveryId,
  // HTTP failures are not errors of the job (they book the next attempt); these retries are for a
  // database that was briefly unreachable.
  retry: { limit: 5, delaySeconds: 10, backoff: true },
  expireInSeconds: 120,
  concurrency: 8,
  run: (payload) => deliverEvent(payload),
});

const IN_FLIGHT = Symbol.for("marketplace-portal.events.inFlight");
const holder = globalThis as typeof globalThis & { [IN_FLIGHT]?: Map<string, number> };
const inFlight = (holder[IN_FLIGHT] ??= new Map<string, number>());

/** The body as sent: Standard Webhooks' `type`, `timestamp`, `data`. */
export function eventBody(event: Pick<OutboxEvent, "type" | "createdAt" | "payload">): string {
  return JSON.stringify({
    type: eventTypeName(event.type),
    timestamp: event.createdAt.toISOString(),
    data: event.payload,
  });
}

/** Books a run of the delivery job, at once or later, in the caller's transaction. */
export function scheduleDelivery(tx: Prisma.TransactionClient, deliveryId: string, at?: Date) {
  return enqueue(tx, deliverEventJob, { deliveryId }, at ? { startAfter: at, moveEarlier: true } : {});
}

export async function deliverEvent({ deliveryId }: { deliveryId: string }): Promise<void> {
  const delivery = await db().eventDelivery.findUnique({
    where: { id: deliveryId },
    include: { event: true, endpoint: true },
  });
  if (!delivery || delivery.status !== "pending") return;
  const { endpoint, event } = delivery;
  if (!endpoint.enabled) {
    await db().$transaction((tx) =>
      deadLetter(
        tx,
        delivery,
        `Not sent: the endpoint is disabled${endpoint.disabledReason ? ` (${endpoint.disabledReason})` : ""}.`,
        { byAdmin: true },
      ),
    );
    return;
  }
  const env = eventsEnv();
  const busy = inFlight.get(endpoint.id) ?? 0;
  if (busy >= env.EVENT_ENDPOINT_MAX_IN_FLIGHT) {
    // Its endpoint is busy (slow, say): this one waits without holding a worker.
    const later = new Date(Date.now() + busyEndpointDelayMs(env.EVENT_DELIVERY_TIMEOUT_SECONDS * 1000));
    await db().$transaction((tx) => scheduleDelivery(tx, delivery.id, later));
    return;
  }
  inFlight.set(endpoint.id, busy + 1);
  let result: AttemptResult;
  try {
    const body = eventBody(event);
    const now = new Date();
    result = await sendEvent({
      url: endpoint.url,
      headers: {
        "content-type": "application/json",
        "user-agent": "marketplace-saas-portal-events/1",
        ...signEvent({ id: event.id, timestamp: now, body, secrets: signingSecrets(endpoint, now) }),
      },
      body,
      timeoutMs: env.EVENT_DELIVERY_TIMEOUT_SECONDS * 1000,
      allowList: env.EVENT_ENDPOINT_ALLOWED_HOSTS,
    });
  } finally {
    const left = (inFlight.get(endpoint.id) ?? 1) - 1;
    if (left > 0) inFlight.set(endpoint.id, left);
    else inFlight.delete(endpoint.id);
  }
  await recordAttempt(delivery, result);
}

async function recordAttempt(delivery: EventDelivery, result: AttemptResult) {
  const env = eventsEnv();
  const now = new Date();
  await db().$transaction(async (tx) => {
    await tx.eventDeliveryAttempt.create({
      data: {
        deliveryId: delivery.id,
        startedAt: result.startedAt,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        outcome: result.outcome,
        error: result.error,
        responseExcerpt: result.responseExcerpt,
      },
    });
    // Only the attempt cycle this run belongs to: a replay meanwhile started a new one.
    const current = { id: delivery.id, status: "pending" as const, cycleStartedAt: delivery.cycleStartedAt };
    const counted = {
      cycleAttempts: { increment: 1 },
      attemptCount: { increment: 1 },
      lastAttemptAt: result.startedAt,
      lastStatusCode: result.statusCode,
      lastError: result.error,
    };
    if (result.outcome === "delivered") {
      await tx.eventDelivery.updateMany({
        where: current,
        data: { ...counted, status: "delivered", deliveredAt: now, nextAttemptAt: null },
      });
      return;
    }
    if (result.outcome === "gone") {
      const disabled = await tx.eventEndpoint.updateMany({
        where: { id: delivery.endpointId, enabled: true },
        data: { enabled: false, disabledAt: now, disabledReason: "it answered 410 Gone" },
      });
      if (disabled.count > 0) {
        await recordAudit(tx, {
          actor: { actorType: "system" },
          action: "event_endpoint_disabled",
          detail: { endpointId: delivery.endpointId, reason: "410 Gone", eventId: delivery.eventId },
        });
        logger.warn("event endpoint answered 410 Gone; disabled", { endpointId: delivery.endpointId });
      }
      const updated = await tx.eventDelivery.updateMany({ where: current, data: counted });
      if (updated.count > 0)
        await deadLetter(
          tx,
          delivery,
          "The endpoint answered 410 Gone, so it was disabled; enable it again to resume.",
        );
      return;
    }
    const next = nextAttemptAt({
      failedAttempts: delivery.cycleAttempts + 1,
      startedAt: delivery.cycleStartedAt,
      now,
      settings: retrySettings(env),
    });
    const updated = await tx.eventDelivery.updateMany({
      where: current,
      data: { ...counted, nextAttemptAt: next },
    });
    if (updated.count === 0) return;
    if (next) await scheduleDelivery(tx, delivery.id, next);
    else
      await deadLetter(
        tx,
        delivery,
        `No successful attempt within ${env.EVENT_RETRY_WINDOW_HOURS} h (${delivery.cycleAttempts + 1} attempts); last: ${result.error ?? result.outcome}`,
      );
  });
}

/** Gives a delivery up; the publisher's team is alerted unless an admin disabled the endpoint (`byAdmin`). */
async function deadLetter(
  tx: Prisma.TransactionClient,
  delivery: EventDelivery,
  reason: string,
  options: { byAdmin?: boolean } = {},
) {
  const given = await tx.eventDelivery.updateMany({
    where: { id: delivery.id, status: "pending" },
    data: { status: "dead_lettered", deadLetteredAt: new Date(), deadLetterReason: reason, nextAttemptAt: null },
  });
  if (given.count > 0 && !options.byAdmin)
    await alertDeliveryDeadLettered(tx, { ...delivery, attemptCount: delivery.attemptCount + 1 }, reason);
}
