/**
 * The publisher's `job_dead_lettered` alert for an event delivery to the product that was given up
 * (lib/events/deliver-event.ts): its retries ran out, or the endpoint answered 410 Gone. Written
 * with the dead letter; at most one alert per endpoint and day (an endpoint that is down fails
 * every delivery). A delivery dead-lettered because an admin disabled its endpoint alerts nobody.
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { alertPublisher } from "./alert-publisher";
import { headerText } from "./mail-text";

export async function alertDeliveryDeadLettered(
  tx: Prisma.TransactionClient,
  delivery: { id: string; endpointId: string; attemptCount: number },
  reason: string,
): Promise<void> {
  const day = new Date().toISOString().slice(0, 10);
  await alertPublisher(tx, {
    kind: "job_dead_lettered",
    cause: `event-delivery:${delivery.endpointId}:${day}`,
    data: {
      task: "deliver-event",
      id: delivery.id,
      attempts: delivery.attemptCount,
      reason: headerText(reason, 500),
      consolePath: `/admin/events/${delivery.endpointId}?status=dead_lettered`,
    },
  });
}
