/**
 * The publisher's `usage_expiring` alert: unbilled usage close to the end of Microsoft's 24-hour
 * window (lib/metering/warn-expiring-usage.ts warns once per hour of usage), one alert per warning
 * run, written with the warnings.
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { alertPublisher } from "./alert-publisher";

const LISTED = 10;

export async function alertUsageExpiring(
  tx: Prisma.TransactionClient,
  warnedAt: Date,
  hours: Array<{ subscriptionId: string; dimension: string; hourStart: Date; quantity: string; status: string }>,
): Promise<void> {
  if (hours.length === 0) return;
  await alertPublisher(tx, {
    kind: "usage_expiring",
    cause: `usage-expiring:${warnedAt.toISOString()}`,
    subscriptionId: new Set(hours.map((hour) => hour.subscriptionId)).size === 1 ? hours[0]!.subscriptionId : null,
    data: {
      count: hours.length,
      items: hours.slice(0, LISTED).map((hour) => ({
        subscriptionId: hour.subscriptionId,
        dimension: hour.dimension,
        periodStart: hour.hourStart.toISOString(),
        quantity: hour.quantity,
        status: hour.status,
        reason: null,
      })),
    },
  });
}
