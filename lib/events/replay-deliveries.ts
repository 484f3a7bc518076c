/**
 * Replays from the console: one delivery (whatever its state: a delivered event the product lost,
 * a dead-lettered one, one waiting for its next retry), or every dead-lettered delivery of an
 * endpoint. A replay sends the same event again (same `webhook-id`, so the product can ignore
 * what it already has) with a fresh retry window, and is audited.
 */
import "server-only";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { scheduleDelivery } from "./deliver-event";

type Who = Pick<Actor, "tid" | "oid">;

/** At most this many deliveries per "replay all" (press it again for more). */
export const REPLAY_BATCH = 500;

async function restart(tx: Prisma.TransactionClient, deliveryIds: string[]) {
  const now = new Date();
  await tx.eventDelivery.updateMany({
    where: { id: { in: deliveryIds } },
    data: {
      status: "pending",
      cycleAttempts: 0,
      cycleStartedAt: now,
      nextAttemptAt: now,
      deadLetteredAt: null,
      deadLetterReason: null,
      deliveredAt: null,
    },
  });
  for (const id of deliveryIds) await scheduleDelivery(tx, id, now);
}

async function enabledEndpoint(tx: Prisma.TransactionClient, endpointId: string) {
  const endpoint = await tx.eventEndpoint.findUnique({ where: { id: endpointId }, select: { enabled: true } });
  if (!endpoint)
    throw new AppError("invalid_input", { message: "This endpoint no longer exists. Nothing was replayed." });
  if (!endpoint.enabled)
    throw new AppError("invalid_input", {
      message: "This endpoint is disabled: enable it first, then replay. Nothing was replayed.",
    });
}

export async function replayDelivery(options: { deliveryId: string; actor: Who }) {
  await db().$transaction(async (tx) => {
    const delivery = await tx.eventDelivery.findUnique({
      where: { id: options.deliveryId },
      select: { id: true, endpointId: true, eventId: true, status: true },
    });
    if (!delivery) throw new AppError("invalid_input", { message: "Unknown delivery. Nothing was replayed." });
    await enabledEndpoint(tx, delivery.endpointId);
    await restart(tx, [delivery.id]);
    await recordAudit(tx, {
      actor: { actorType: "user", actorTid: options.actor.tid, actorOid: options.actor.oid },
      action: "events_replayed",
      detail: { endpointId: delivery.endpointId, eventId: delivery.eventId, previousStatus: delivery.status },
    });
  });
}

/** Every dead-lettered delivery of an endpoint (oldest first, up to REPLAY_BATCH); how many, and how many remain. */
export async function replayFailedDeliveries(options: { endpointId: string; actor: Who }) {
  return db().$transaction(async (tx) => {
    await enabledEndpoint(tx, options.endpointId);
    const failed = await tx.eventDelivery.findMany({
      where: { endpointId: options.endpointId, status: "dead_lettered" },
      orderBy: { createdAt: "asc" },
      take: REPLAY_BATCH,
      select: { id: true },
    });
    if (failed.length === 0) return { replayed: 0, remaining: 0 };
    await restart(
      tx,
      failed.map((delivery) => delivery.id),
    );
    const remaining = await tx.eventDelivery.count({
      where: { endpointId: options.endpointId, status: "dead_lettered" },
    });
    await recordAudit(tx, {
      actor: { actorType: "user", actorTid: options.actor.tid, actorOid: options.actor.oid },
      action: "events_replayed",
      detail: { endpointId: options.endpointId, deliveries: failed.length, remaining },
    });
    return { replayed: failed.length, remaining };
  });
}
