/**
 * Writes what Microsoft answered for a claimed batch, in one transaction, with an audit row for
 * everything an admin must know about (lost usage, a billed quantity that differs from ours, a
 * refusal to fix), and a `usage.rejected` event for each hour that will not be billed. Only rows
 * still claimed by this batch are written: if the lease ran out and another worker re-sent them,
 * its answer is the one that counts.
 */
import "server-only";
import { recordAudits } from "../audit/record-audit";
import { db, type PrismaClient } from "../db";
import { emitUsageRejected } from "../events/emit-usage-rejected";
import { alertUsageRejected } from "../notifications/alert-usage-rejected";
import { logger } from "../logger";
import type { ClaimedHour, HourOutcome } from "./classify-usage-result";

const alertActions = {
  expired: "usage_expired",
  quantity_mismatch: "usage_quantity_mismatch",
  failed: "usage_failed",
} as const;

export async function recordUsageOutcomes(options: {
  batchId: string;
  hours: ClaimedHour[];
  outcomes: HourOutcome[];
  client?: PrismaClient;
}): Promise<number> {
  const client = options.client ?? db();
  const rows = options.outcomes.map((o) => ({
    id: o.id.toString(),
    status: o.status,
    usageEventId: o.usageEventId,
    billedQuantity: o.billedQuantity,
    lastStatus: o.lastStatus,
    lastError: o.lastError,
    nextAttemptAt: o.nextAttemptAt?.toISOString() ?? null,
    resolvedAt: o.resolvedAt?.toISOString() ?? null,
    quantityMismatch: o.quantityMismatch,
  }));
  const byId = new Map(options.hours.map((hour) => [hour.id, hour]));
  return client.$transaction(async (tx) => {
    const updated = await tx.$queryRaw<Array<{ id: bigint }>>`
      UPDATE "UsageHour" AS h
      SET status = o.status::"UsageHourStatus", "usageEventId" = COALESCE(o."usageEventId", h."usageEventId"), "billedQuantity" = o."billedQuantity",
          "lastStatus" = o."lastStatus", "lastError" = o."lastError", "nextAttemptAt" = o."nextAttemptAt", "resolvedAt" = o."resolvedAt",
          "quantityMismatch" = o."quantityMismatch", "updatedAt" = now()
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS o(id bigint, status text, "usageEventId" text, "billedQuantity" numeric,
        "lastStatus" text, "lastError" text, "nextAttemptAt" timestamptz, "resolvedAt" timestamptz, "quantityMismatch" boolean)
      WHERE h.id = o.id AND h."batchId" = ${options.batchId} AND h.status = 'submitting'
      RETURNING h.id`;
    const written = new Set(updated.map((row) => BigInt(row.id)));
    const alerts = options.outcomes.filter((o) => o.alert && written.has(o.id));
    if (alerts.length > 0) {
      await recordAudits(
        tx,
        alerts.map((o) => {
          const hour = byId.get(o.id);
          return {
            subscriptionId: hour?.subscriptionId ?? null,
            actor: { actorType: "system" },
            action: alertActions[o.alert ?? "failed"],
            detail: {
              dimension: hour?.dimension,
              hourStart: hour?.hourStart.toISOString(),
              quantity: hour?.quantity,
              billedQuantity: o.billedQuantity,
              usageEventId: o.usageEventId,
              marketplaceStatus: o.lastStatus,
              reason: o.lastError,
            },
          };
        }),
      );
      // Lost for billing: the product hears of it (`usage.rejected`). A quantity mismatch was billed, differently.
      const rejected = alerts.flatMap((o) => {
        const hour = byId.get(o.id);
        return hour && (o.alert === "expired" || o.alert === "failed")
          ? [
              {
                subscriptionId: hour.subscriptionId,
                dimension: hour.dimension,
                period: "hour" as const,
                periodStart: hour.hourStart,
                quantity: hour.quantity,
                status: o.status,
                marketplaceStatus: o.lastStatus,
                reason: o.lastError,
              },
            ]
          : [];
      });
      await emitUsageRejected(tx, rejected);
      await alertUsageRejected(tx, rejected);
      for (const o of alerts) {
        const hour = byId.get(o.id);
        logger.warn(`metered usage ${o.alert}`, {
          subscriptionId: hour?.subscriptionId,
          dimension: hour?.dimension,
          hourStart: hour?.hourStart.toISOString(),
          quantity: hour?.quantity,
          marketplaceStatus: o.lastStatus,
          reason: o.lastError,
        });
      }
    }
    return written.size;
  });
}
