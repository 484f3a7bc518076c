/**
 * `usage.rejected`: hours of metered usage that will not be billed (Microsoft refused them, or
 * they left its 24-hour window), one event per hour, in the transaction that records it.
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { emitEvent } from "./emit-event";

export interface RejectedUsage {
  subscriptionId: string;
  dimension: string;
  hourStart: Date;
  /** Decimal as text, as recorded. */
  quantity: string;
  /** The hour's status now: `expired` (too old) or `failed` (refused by Microsoft). */
  status: string;
  /** Microsoft's answer (`Expired`, `InvalidDimension`, …), or `NotSent`. */
  marketplaceStatus: string | null;
  reason: string | null;
}

export async function emitUsageRejected(tx: Prisma.TransactionClient, rejections: RejectedUsage[]): Promise<void> {
  if (rejections.length === 0) return;
  // Usage is recorded only for known subscriptions; an hour of an unknown one (a hand-written row) is not announced.
  const known = new Set(
    (
      await tx.subscription.findMany({
        where: { id: { in: [...new Set(rejections.map((rejection) => rejection.subscriptionId))] } },
        select: { id: true },
      })
    ).map((row) => row.id),
  );
  // One subscription's sequence after another, always in the same order (no deadlock between two batches).
  const ordered = rejections
    .filter((rejection) => known.has(rejection.subscriptionId))
    .sort(
      (a, b) =>
        a.subscriptionId.localeCompare(b.subscriptionId) ||
        a.hourStart.getTime() - b.hourStart.getTime() ||
        a.dimension.localeCompare(b.dimension),
    );
  for (const rejection of ordered)
    await emitEvent(tx, {
      type: "usage.rejected",
      subscriptionId: rejection.subscriptionId,
      data: {
        usage: {
          dimension: rejection.dimension,
          hourStart: rejection.hourStart.toISOString(),
          quantity: rejection.quantity,
          status: rejection.status,
          marketplaceStatus: rejection.marketplaceStatus,
          reason: rejection.reason,
        },
      },
    });
}
