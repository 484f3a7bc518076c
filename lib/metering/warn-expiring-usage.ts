/**
 * Warns admins, once per hour of usage, when usage is still unbilled this close to the end of
 * Microsoft's 24-hour window (METERING_EXPIRY_WARNING_HOURS): an audit row the console shows, an
 * alert to the publisher's team (lib/notifications), and a warning in the logs. Runs after a submission pass, so hours that
 * were just sent are not reported.
 */
import "server-only";
import { recordAudits } from "../audit/record-audit";
import { db, type PrismaClient } from "../db";
import { logger } from "../logger";
import { alertUsageExpiring } from "../notifications/alert-usage-expiring";
import { billableUntil, expiryWarningFrom } from "./usage-window";

interface WarnedRow {
  subscriptionId: string;
  dimension: string;
  hourStart: Date | string;
  quantity: string;
  status: string;
  lastError: string | null;
}

export async function warnExpiringUsage(options: {
  now: Date;
  warningHours: number;
  client?: PrismaClient;
}): Promise<number> {
  const client = options.client ?? db();
  const threshold = expiryWarningFrom(options.now, options.warningHours);
  const rows = await client.$transaction(async (tx) => {
    const warned = await tx.$queryRaw<WarnedRow[]>`
      UPDATE "UsageHour" SET "expiryWarnedAt" = ${options.now.toISOString()}::timestamptz
      WHERE status IN ('pending', 'held', 'submitting', 'failed') AND quantity > 0 AND "expiryWarnedAt" IS NULL
        AND "hourStart" <= ${threshold.toISOString()}::timestamptz
      RETURNING "subscriptionId", dimension, "hourStart", quantity::text AS quantity, status, "lastError"`;
    if (warned.length > 0) {
      await recordAudits(
        tx,
        warned.map((row) => ({
          subscriptionId: row.subscriptionId,
          actor: { actorType: "system" },
          action: "usage_expiry_warning",
          detail: {
            dimension: row.dimension,
            hourStart: new Date(row.hourStart).toISOString(),
            quantity: row.quantity,
            status: row.status,
            billableUntil: billableUntil(new Date(row.hourStart)).toISOString(),
            reason: row.lastError,
          },
        })),
      );
      await alertUsageExpiring(
        tx,
        options.now,
        warned.map((row) => ({ ...row, hourStart: new Date(row.hourStart) })),
      );
    }
    return warned;
  });
  for (const row of rows) {
    logger.warn("metered usage about to expire unbilled", {
      subscriptionId: row.subscriptionId,
      dimension: row.dimension,
      hourStart: new Date(row.hourStart).toISOString(),
      billableUntil: billableUntil(new Date(row.hourStart)).toISOString(),
      status: row.status,
      reason: row.lastError,
    });
  }
  return rows.length;
}
