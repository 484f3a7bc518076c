import "server-only";
import { z } from "zod";
import { db } from "../db";
import { pruneEvents } from "../events/prune-events";
import type { UsageHourStatus } from "../generated/prisma/enums";
import { retentionEnv } from "../env";
import { defineJob } from "../jobs/define-job";
import { logger } from "../logger";
import { FINAL_WEBHOOK_STATUSES } from "../webhooks/webhook-statuses";

const DAY_MS = 86_400_000;
/** Usage hours Microsoft has answered for good: their raw records are no longer needed to bill them. */
const SETTLED_HOURS: UsageHourStatus[] = ["accepted", "duplicate", "expired", "skipped", "failed"];

/**
 * Deletes what has served its purpose (retention settings in lib/env.ts): finished webhook
 * deliveries and reconciliation runs with their drift, after WEBHOOK_EVENT_RETENTION_DAYS; raw
 * usage records of settled hours after USAGE_RECORD_RETENTION_DAYS; usage reconciliation findings
 * after USAGE_RECONCILIATION_RETENTION_DAYS (always longer than the days a reconciliation reads, so
 * a finding is never pruned and found again as new); events sent to the product with their
 * deliveries after EVENT_RETENTION_DAYS, unless one still waits for a retry; notifications sent, failed or
 * skipped after NOTIFICATION_RETENTION_DAYS. Subscriptions, operations,
 * the audit trail and the billed usage hours are kept. Completed jobs are pruned by the job engine.
 */
export async function pruneRecords(now = new Date()) {
  const env = retentionEnv();
  const eventsBefore = new Date(now.getTime() - env.WEBHOOK_EVENT_RETENTION_DAYS * DAY_MS);
  const usageBefore = new Date(now.getTime() - env.USAGE_RECORD_RETENTION_DAYS * DAY_MS);
  const findingsBefore = new Date(now.getTime() - env.USAGE_RECONCILIATION_RETENTION_DAYS * DAY_MS);
  const webhookEvents = await db().webhookEvent.deleteMany({
    where: { receivedAt: { lt: eventsBefore }, status: { in: [...FINAL_WEBHOOK_STATUSES, "failed"] } },
  });
  const oldRuns = { startedAt: { lt: eventsBefore }, status: { not: "running" } };
  const [drifts, runs] = await db().$transaction([
    db().drift.deleteMany({ where: { run: oldRuns } }),
    db().reconciliationRun.deleteMany({ where: oldRuns }),
  ]);
  const usageRecords = await db().usageRecord.deleteMany({
    where: { hourStart: { lt: usageBefore }, usageHour: { status: { in: SETTLED_HOURS } } },
  });
  const usageReconciliations = await db().usageReconciliation.deleteMany({
    where: { periodStart: { lt: findingsBefore } },
  });
  const outboxEvents = await pruneEvents(new Date(now.getTime() - env.EVENT_RETENTION_DAYS * DAY_MS));
  const notifications = await db().notification.deleteMany({
    where: {
      createdAt: { lt: new Date(now.getTime() - env.NOTIFICATION_RETENTION_DAYS * DAY_MS) },
      status: { not: "queued" },
    },
  });
  const pruned = {
    webhookEvents: webhookEvents.count,
    outboxEvents,
    reconciliationRuns: runs.count,
    drifts: drifts.count,
    usageRecords: usageRecords.count,
    usageReconciliations: usageReconciliations.count,
    notifications: notifications.count,
  };
  logger.info("old records pruned", pruned);
  return pruned;
}

/** Daily at 03:17 UTC (an odd minute, away from the hourly work). */
export const pruneRecordsJob = defineJob({
  name: "prune-records",
  payload: z.object({}),
  key: () => "daily",
  retry: { limit: 2, delaySeconds: 300, backoff: false },
  expireInSeconds: 30 * 60,
  schedule: () => ({ cron: "17 3 * * *", payload: {} }),
  run: async () => {
    await pruneRecords();
  },
});
