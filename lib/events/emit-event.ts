/**
 * The outbox's one write path (docs/decisions/0013): an event is written in the transaction of the
 * change it describes, so it exists if and only if that change committed. It gets a stable id
 * (sent as `webhook-id`), the subscription's next sequence number, and the subscription's
 * entitlement as it stands in this transaction; a delivery per enabled endpoint that wants its
 * type is written with it, each with its job (enqueued in the same transaction).
 *
 * Stable interface for other modules (the retention job emits `subscription.data_purged`):
 *   emitEvent(tx, { type, subscriptionId, data? })
 * `data` holds what is specific to the event (subscription events: `change`); the payload is
 * `{ subscriptionId, sequence, ...data, subscription: <entitlement> }` (README “Events”).
 */
import "server-only";
import { randomUUID } from "node:crypto";
import type { Prisma } from "../generated/prisma/client";
import { scheduleDelivery } from "./deliver-event";
import { eventSubscriptionOf } from "./entitlement";
import { storedEventType, type EventType } from "./event-types";

export interface EmitEventInput {
  type: EventType;
  subscriptionId: string;
  /** Fields of the event's `data` besides subscriptionId, sequence and subscription. */
  data?: Record<string, Prisma.InputJsonValue | null>;
}

export interface EmittedEvent {
  id: string;
  type: EventType;
  sequence: number;
  deliveries: number;
}

/**
 * The subscription's next sequence number, inside the caller's transaction: the counter row is
 * locked until the transaction ends, so concurrent emitters for one subscription queue up and get
 * 1, 2, 3… in commit order; a transaction that rolls back gives its number back (no gaps).
 */
export async function nextSequence(tx: Prisma.TransactionClient, subscriptionId: string): Promise<number> {
  const [row] = await tx.$queryRaw<Array<{ last: number }>>`
    INSERT INTO "EventSequence" ("subscriptionId", "last") VALUES (${subscriptionId}, 1)
    ON CONFLICT ("subscriptionId") DO UPDATE SET "last" = "EventSequence"."last" + 1
    RETURNING "last"`;
  if (!row) throw new Error(`No sequence number for subscription ${subscriptionId}`);
  return Number(row.last);
}

/** `evt_` and 32 hex digits: unique, and safe in a header. */
export const newEventId = () => `evt_${randomUUID().replaceAll("-", "")}`;

export async function emitEvent(tx: Prisma.TransactionClient, input: EmitEventInput): Promise<EmittedEvent> {
  const subscription = await tx.subscription.findUnique({ where: { id: input.subscriptionId } });
  if (!subscription) throw new Error(`Event ${input.type} for unknown subscription ${input.subscriptionId}`);
  const sequence = await nextSequence(tx, input.subscriptionId);
  const id = newEventId();
  const type = storedEventType(input.type);
  await tx.outboxEvent.create({
    data: {
      id,
      type,
      subscriptionId: input.subscriptionId,
      sequence,
      payload: {
        subscriptionId: input.subscriptionId,
        sequence,
        ...input.data,
        subscription: eventSubscriptionOf(subscription) as unknown as Prisma.InputJsonValue,
      },
      createdAt: new Date(),
    },
  });
  // Endpoints are few; the type filter is applied here (Prisma's `has` on an enum array fails in
  // the Next.js server bundle on the embedded database: "malformed array literal").
  const endpoints = (
    await tx.eventEndpoint.findMany({ where: { enabled: true }, select: { id: true, eventTypes: true } })
  ).filter((endpoint) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type));
  for (const endpoint of endpoints) {
    const delivery = await tx.eventDelivery.create({
      data: { eventId: id, endpointId: endpoint.id },
      select: { id: true },
    });
    await scheduleDelivery(tx, delivery.id);
  }
  return { id, type: input.type, sequence, deliveries: endpoints.length };
}
