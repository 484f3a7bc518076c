/**
 * `usage.rejected`: metered usage that will not be billed — an hour Microsoft refused, or that left
 * its 24-hour window, or usage Microsoft's report later shows as rejected (usage reconciliation) —
 * one event per hour (or reported day), in the transaction that records it.
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { emitEvent } from "./emit-event";

export interface RejectedUsage {
  subscriptionId: string;
  dimension: string;
  /** An hour of ours, or a day of Microsoft's usage report. */
  period: "hour" | "day";
  periodStart: Date;
  /** Decimal as text, as recorded. */
  quantity: string;
  /** `expired` (too old), `failed` (refused when sent) or `rejected` (refused in Microsoft's usage report). */
  status: string;
  /** Microsoft's answer or report status (`Expired`, `InvalidDimension`, `Rejected`, …), or `NotSent`. */
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
        a.periodStart.getTime() - b.periodStart.getTime() ||
        a.dimension.localeCompare(b.dimension),
    );
  for (const rejection of ordered)
    await emitEvent(tx, {
      type: "usage.rejected",
      subscriptionId: rejection.subscriptionId,
      data: {
        usage: {
          dimension: rejection.dimension,
          period: rejection.period,
          periodStart: rejection.periodStart.toISOString(),
          quantity: rejection.quantity,
          status: rejection.status,
          marketplaceStatus: rejection.marketplaceStatus,
          reason: rejection.reason,
        },
      },
    });
}
