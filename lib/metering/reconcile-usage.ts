/**
 * Usage reconciliation (marketplace-contract.md §9.5, §15.23): asks Microsoft what it did with the
 * usage the portal sent (GET /usageEvents for the last USAGE_RECONCILE_DAYS UTC days), compares it
 * with the hours we billed (compare-usage-report.ts) and records one finding per subscription,
 * dimension and UTC hour or day. Runs as the `reconcile-usage` job: on a cron schedule (every
 * USAGE_RECONCILE_INTERVAL_MINUTES, at 35 past) and when an admin presses "Check with Microsoft now".
 *
 * Each run rewrites the findings of the days it read; rows of periods it no longer sees (Microsoft
 * switched between daily and hourly rows) are removed. A rejection, mismatch or loss is written to
 * the audit trail and the log once, when the finding first takes that outcome — a run that finds the
 * same again changes nothing but the time of the check. Runs are serialized by an advisory lock, so
 * two at once (a schedule and a click) cannot audit one finding twice. Why: docs/decisions/0009.
 */
import "server-only";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { recordAudit, recordAudits } from "../audit/record-audit";
import { db, type PrismaClient } from "../db";
import { emitUsageRejected, type RejectedUsage } from "../events/emit-usage-rejected";
import { alertUsageRejected } from "../notifications/alert-usage-rejected";
import type { UsagePeriod, UsageReconciliationOutcome } from "../generated/prisma/enums";
import { cronEvery } from "../jobs/cron";
import { defineJob } from "../jobs/define-job";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import { logger } from "../logger";
import { marketplace, type MarketplaceClient } from "../marketplace";
import {
  ALERT_OUTCOMES,
  compareUsageReport,
  DAY_MS,
  unknownReconStatuses,
  type BilledHour,
  type UsageFinding,
} from "./compare-usage-report";
import { meteringSettings } from "./metering-settings";
import { normalizeQuantity } from "./quantity";

/** Serializes reconciliation runs across workers and instances. */
const RECONCILE_LOCK = 0x5553_5243; // "USRC"
/** Minutes past the hour of the scheduled run: away from submission (hh:05) and pruning (03:17). */
const SCHEDULE_OFFSET_MINUTES = 35;
const WRITE_CHUNK = 1000;

export const usageReconciliationTriggers = ["schedule", "manual"] as const;
export type UsageReconciliationTrigger = (typeof usageReconciliationTriggers)[number];

export const auditActionOf: Partial<
  Record<UsageReconciliationOutcome, "usage_rejected" | "usage_mismatch" | "usage_missing">
> = {
  rejected: "usage_rejected",
  mismatch: "usage_mismatch",
  missing: "usage_missing",
};

export interface UsageReconciliationSummary {
  trigger: UsageReconciliationTrigger;
  from: Date;
  period: UsagePeriod;
  rows: number;
  unreadable: number;
  outcomes: Partial<Record<UsageReconciliationOutcome, number>>;
  /** Findings that took an alert outcome in this run (audited now). */
  newAlerts: number;
  removed: number;
}

export interface ReconcileUsageOptions {
  trigger: UsageReconciliationTrigger;
  now?: Date;
  /** The Metering API client (tests may wrap it). */
  client?: Pick<MarketplaceClient, "listUsageEvents">;
  /** Override the settings (tests). */
  days?: number;
  graceHours?: number;
}

const text = (value: { toFixed(): string } | null | undefined) =>
  value ? (normalizeQuantity(value.toFixed()) ?? value.toFixed()) : null;
const keyOf = (f: { subscriptionId: string; dimension: string; period: UsagePeriod; periodStart: Date }) =>
  `${f.subscriptionId}|${f.dimension}|${f.period}|${f.periodStart.toISOString()}`;

export async function reconcileUsage(options: ReconcileUsageOptions): Promise<UsageReconciliationSummary> {
  const settings = meteringSettings();
  const now = options.now ?? new Date();
  const days = options.days ?? settings.reconcileDays;
  const graceHours = options.graceHours ?? settings.reconcileGraceHours;
  const from = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - (days - 1) * DAY_MS);
  const client = options.client ?? marketplace();

  const rows = await client.listUsageEvents({ usageStartDate: from, usageEndDate: now });
  const [hours, latest] = await Promise.all([
    db().usageHour.findMany({
      where: { hourStart: { gte: from, lte: now } },
      select: {
        subscriptionId: true,
        dimension: true,
        hourStart: true,
        planId: true,
        status: true,
        quantity: true,
        submittedQuantity: true,
        billedQuantity: true,
      },
    }),
    // The newest period's row says which granularity Microsoft used last (index on periodStart).
    db().usageReconciliation.findFirst({ orderBy: { periodStart: "desc" }, select: { period: true } }),
  ]);
  const billed: BilledHour[] = hours.map((hour) => ({
    subscriptionId: hour.subscriptionId,
    dimension: hour.dimension,
    hourStart: hour.hourStart,
    planId: hour.planId,
    status: hour.status,
    // What Microsoft has for the hour: what it billed (a duplicate's may differ, flagged when sent), else what we sent.
    quantity: text(hour.billedQuantity) ?? text(hour.submittedQuantity) ?? text(hour.quantity) ?? "0",
  }));
  const comparison = compareUsageReport({
    rows,
    hours: billed,
    now,
    graceHours,
    from,
    fallbackPeriod: latest?.period ?? "day",
  });
  if (comparison.unreadable.length > 0)
    logger.warn("usage report rows the portal cannot place (no date, resource, dimension or quantity)", {
      count: comparison.unreadable.length,
      sample: comparison.unreadable.slice(0, 3),
    });

  const written = await writeFindings(comparison.findings, { from, now });
  const summary: UsageReconciliationSummary = {
    trigger: options.trigger,
    from,
    period: comparison.period,
    rows: rows.length,
    unreadable: comparison.unreadable.length,
    outcomes: {},
    newAlerts: written.newAlerts,
    removed: written.removed,
  };
  for (const finding of comparison.findings)
    summary.outcomes[finding.outcome] = (summary.outcomes[finding.outcome] ?? 0) + 1;
  logger.info("usage reconciled with Microsoft", { ...summary, from: from.toISOString() });
  return summary;
}

async function writeFindings(
  findings: UsageFinding[],
  window: { from: Date; now: Date },
  client: PrismaClient = db(),
): Promise<{ newAlerts: number; removed: number }> {
  return client.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RECONCILE_LOCK})`;
      const existing = await tx.usageReconciliation.findMany({
        where: { periodStart: { gte: window.from } },
        select: { id: true, subscriptionId: true, dimension: true, period: true, periodStart: true, outcome: true },
      });
      const before = new Map(existing.map((row) => [keyOf(row), row]));
      const seen = new Set(findings.map(keyOf));
      const gone = existing.filter((row) => !seen.has(keyOf(row))).map((row) => row.id);
      if (gone.length > 0) await tx.usageReconciliation.deleteMany({ where: { id: { in: gone } } });

      const changed = findings.filter((finding) => before.get(keyOf(finding))?.outcome !== finding.outcome);
      for (let index = 0; index < findings.length; index += WRITE_CHUNK) {
        const chunk = findings.slice(index, index + WRITE_CHUNK).map((f) => ({
          subscriptionId: f.subscriptionId,
          dimension: f.dimension,
          period: f.period,
          periodStart: f.periodStart.toISOString(),
          planId: f.planId,
          planName: f.planName,
          offerId: f.offerId,
          offerName: f.offerName,
          ourQuantity: f.ourQuantity,
          ourHours: f.ourHours,
          submittedQuantity: f.submittedQuantity,
          processedQuantity: f.processedQuantity,
          submittedCount: f.submittedCount,
          reconStatus: f.reconStatus,
          outcome: f.outcome,
          reason: f.reason,
        }));
        await tx.$executeRaw`
          INSERT INTO "UsageReconciliation" ("subscriptionId", dimension, period, "periodStart", "planId", "planName",
            "offerId", "offerName", "ourQuantity", "ourHours", "submittedQuantity", "processedQuantity",
            "submittedCount", "reconStatus", outcome, reason, "outcomeSince", "checkedAt")
          SELECT f."subscriptionId", f.dimension, f.period::"UsagePeriod", f."periodStart", f."planId", f."planName",
            f."offerId", f."offerName", f."ourQuantity", f."ourHours", f."submittedQuantity", f."processedQuantity",
            f."submittedCount", f."reconStatus", f.outcome::"UsageReconciliationOutcome", f.reason,
            ${window.now}, ${window.now}
          FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS f("subscriptionId" text, dimension text,
            period text, "periodStart" timestamptz, "planId" text, "planName" text, "offerId" text, "offerName" text,
            "ourQuantity" numeric, "ourHours" int, "submittedQuantity" numeric, "processedQuantity" numeric,
            "submittedCount" int, "reconStatus" text, outcome text, reason text)
          ON CONFLICT ("subscriptionId", dimension, period, "periodStart") DO UPDATE SET
            "planId" = EXCLUDED."planId", "planName" = EXCLUDED."planName", "offerId" = EXCLUDED."offerId",
            "offerName" = EXCLUDED."offerName", "ourQuantity" = EXCLUDED."ourQuantity", "ourHours" = EXCLUDED."ourHours",
            "submittedQuantity" = EXCLUDED."submittedQuantity", "processedQuantity" = EXCLUDED."processedQuantity",
            "submittedCount" = EXCLUDED."submittedCount", "reconStatus" = EXCLUDED."reconStatus", reason = EXCLUDED.reason,
            "outcomeSince" = CASE WHEN "UsageReconciliation".outcome = EXCLUDED.outcome
              THEN "UsageReconciliation"."outcomeSince" ELSE EXCLUDED."outcomeSince" END,
            outcome = EXCLUDED.outcome, "checkedAt" = EXCLUDED."checkedAt"`;
      }

      const alerts = changed.filter((finding) => ALERT_OUTCOMES.includes(finding.outcome));
      if (alerts.length > 0) {
        // The audit trail links a subscription only when the portal has it (Microsoft may report others).
        const known = new Set(
          (
            await tx.subscription.findMany({
              where: { id: { in: [...new Set(alerts.map((f) => f.subscriptionId))] } },
              select: { id: true },
            })
          ).map((row) => row.id),
        );
        await recordAudits(
          tx,
          alerts.map((f) => ({
            subscriptionId: known.has(f.subscriptionId) ? f.subscriptionId : null,
            actor: { actorType: "system" as const },
            action: auditActionOf[f.outcome] ?? "usage_mismatch",
            detail: {
              resourceId: f.subscriptionId,
              dimension: f.dimension,
              period: f.period,
              periodStart: f.periodStart.toISOString(),
              reconStatus: f.reconStatus,
              ourQuantity: f.ourQuantity,
              submittedQuantity: f.submittedQuantity,
              processedQuantity: f.processedQuantity,
              reason: f.reason,
            },
          })),
        );
        // Rejected by Microsoft after all: the product hears of it (`usage.rejected`).
        const rejected: RejectedUsage[] = alerts
          .filter((f) => f.outcome === "rejected")
          .map((f) => ({
            subscriptionId: f.subscriptionId,
            dimension: f.dimension,
            period: f.period,
            periodStart: f.periodStart,
            quantity: f.submittedQuantity ?? f.ourQuantity,
            status: "rejected",
            marketplaceStatus: f.reconStatus,
            reason: f.reason,
          }));
        await emitUsageRejected(tx, rejected);
        await alertUsageRejected(tx, rejected);
        for (const f of alerts)
          logger.warn(`metered usage ${f.outcome} at Microsoft`, {
            subscriptionId: f.subscriptionId,
            dimension: f.dimension,
            period: f.period,
            periodStart: f.periodStart.toISOString(),
            reconStatus: f.reconStatus,
            ourQuantity: f.ourQuantity,
            submittedQuantity: f.submittedQuantity,
            processedQuantity: f.processedQuantity,
          });
      }
      for (const f of changed.filter((finding) => unknownReconStatuses(finding.reconStatus).length > 0))
        logger.warn("usage reconStatus we do not know", {
          subscriptionId: f.subscriptionId,
          dimension: f.dimension,
          periodStart: f.periodStart.toISOString(),
          reconStatus: f.reconStatus,
        });
      return { newAlerts: alerts.length, removed: gone.length };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

export const reconcileUsageJob = defineJob({
  name: "reconcile-usage",
  payload: z.object({ trigger: z.enum(usageReconciliationTriggers).default("schedule") }),
  key: (payload) => `usage-reconciliation:${payload.trigger}`,
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  expireInSeconds: 15 * 60,
  schedule: () => {
    const minutes = meteringSettings().reconcileIntervalMinutes;
    return minutes > 0
      ? { cron: cronEvery(minutes, SCHEDULE_OFFSET_MINUTES % minutes), payload: { trigger: "schedule" as const } }
      : null;
  },
  run: async (payload) => {
    await reconcileUsage(payload);
  },
});

/** "Check with Microsoft now": queues one reconciliation (a second click while it waits changes nothing), audited. */
export async function requestUsageReconciliation(options: { actor: Pick<Actor, "tid" | "oid"> }): Promise<boolean> {
  const queued = await db().$transaction(async (tx) => {
    const id = await enqueue(tx, reconcileUsageJob, { trigger: "manual" });
    await recordAudit(tx, {
      actor: { actorType: "user", actorTid: options.actor.tid, actorOid: options.actor.oid },
      action: "usage_reconciliation_requested",
      detail: { queued: id !== null },
    });
    return id !== null;
  });
  wakeWorkers();
  return queued;
}
