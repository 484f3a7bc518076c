/**
 * Housekeeping around a submission run: closed hours that sum to 0 are `skipped` (Microsoft
 * wants quantities > 0 and usage only when there was some, marketplace-contract.md §9.1); hours whose 24-hour window
 * has closed are `expired` without a call (Microsoft would answer Expired, §9.4), each announced
 * to the product as `usage.rejected`.
 */
import "server-only";
import { recordAudits } from "../audit/record-audit";
import { db, type PrismaClient } from "../db";
import { emitUsageRejected, type RejectedUsage } from "../events/emit-usage-rejected";
import { alertUsageRejected } from "../notifications/alert-usage-rejected";
import { logger } from "../logger";

interface ExpiredRow {
  id: bigint;
  subscriptionId: string;
  dimension: string;
  hourStart: Date | string;
  quantity: string;
  reason: string;
}

export async function settleUnbillableHours(options: {
  now: Date;
  closedUntil: Date;
  expiredBefore: Date;
  client?: PrismaClient;
}): Promise<{ skipped: number; expired: number }> {
  const client = options.client ?? db();
  const now = options.now.toISOString();
  const skipped = await client.$executeRaw`
    UPDATE "UsageHour" SET status = 'skipped', "lastStatus" = 'Skipped', "lastError" = NULL, "resolvedAt" = ${now}::timestamptz, "updatedAt" = ${now}::timestamptz
    WHERE status = 'pending' AND attempts = 0 AND quantity = 0 AND "hourStart" <= ${options.closedUntil.toISOString()}::timestamptz`;

  const expired = await client.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<ExpiredRow[]>`
      UPDATE "UsageHour"
      SET status = 'expired', "lastStatus" = 'NotSent', "resolvedAt" = ${now}::timestamptz, "updatedAt" = ${now}::timestamptz,
          "lastError" = CASE WHEN status = 'submitting'
            THEN 'Sent, but no answer was recorded before the 24-hour window closed: check Microsoft''s usage events, the hour may be billed.'
            ELSE 'Not billed: Microsoft''s 24-hour window closed before the hour could be sent.' END
      WHERE status IN ('pending', 'held', 'submitting') AND quantity > 0 AND "hourStart" <= ${options.expiredBefore.toISOString()}::timestamptz
      RETURNING id, "subscriptionId", dimension, "hourStart", quantity::text AS quantity, "lastError" AS reason`;
    if (rows.length > 0) {
      await recordAudits(
        tx,
        rows.map((row) => ({
          subscriptionId: row.subscriptionId,
          actor: { actorType: "system" },
          action: "usage_expired",
          detail: {
            dimension: row.dimension,
            hourStart: new Date(row.hourStart).toISOString(),
            quantity: row.quantity,
            reason: row.reason,
          },
        })),
      );
      const rejected: RejectedUsage[] = rows.map((row) => ({
        subscriptionId: row.subscriptionId,
        dimension: row.dimension,
        period: "hour",
        periodStart: new Date(row.hourStart),
        quantity: row.quantity,
        status: "expired",
        marketplaceStatus: "NotSent",
        reason: row.reason,
      }));
      await emitUsageRejected(tx, rejected);
      await alertUsageRejected(tx, rejected);
    }
    return rows;
  });
  for (const row of expired) {
    logger.warn("metered usage expired unbilled", {
      subscriptionId: row.subscriptionId,
      dimension: row.dimension,
      hourStart: new Date(row.hourStart).toISOString(),
      quantity: row.quantity,
    });
  }
  return { skipped, expired: expired.length };
}
