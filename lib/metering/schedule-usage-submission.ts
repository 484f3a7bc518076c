/**
 * When the submission job runs. Scheduled runs are aligned to the clock (by default hh:05, five
 * minutes after each hour closes); retries, late usage and an admin's "submit now" book their
 * own runs. Each kind has a singleton key, so at most one run of each kind is waiting.
 */
import "server-only";
import { z } from "zod";
import { db, type PrismaClient } from "../db";
import { enqueueJob } from "../jobs/enqueue-job";
import { wakeWorkers } from "../jobs/wake";
import { meteringSettings } from "./metering-settings";

export const SUBMIT_USAGE_JOB = "submit-usage";
export const usageTriggers = ["schedule", "retry", "late", "manual", "cli"] as const;
export type UsageTrigger = (typeof usageTriggers)[number];
export const usageJobPayload = z.object({ trigger: z.enum(usageTriggers).default("schedule") });

export const USAGE_JOB_KEYS = {
  schedule: "metering:scheduled",
  retry: "metering:retry",
  late: "metering:late",
  manual: "metering:manual",
} as const;

/** The next instant after `now` that is `delayMinutes` past a multiple of the interval (counted from UTC midnight). */
export function nextScheduledRun(now: Date, intervalMinutes: number, delayMinutes: number): Date {
  const interval = intervalMinutes * 60_000;
  const offset = delayMinutes * 60_000;
  return new Date(Math.floor((now.getTime() - offset) / interval) * interval + interval + offset);
}

/** Books the next scheduled run (no-op when one is waiting, or when METERING_SUBMIT_INTERVAL_MINUTES=0). */
export async function scheduleUsageSubmission(options: { now?: Date; client?: PrismaClient } = {}): Promise<void> {
  const settings = meteringSettings();
  if (settings.submitIntervalMinutes <= 0) return;
  const runAt = nextScheduledRun(
    options.now ?? new Date(),
    settings.submitIntervalMinutes,
    settings.submitDelayMinutes,
  );
  await enqueueJob(options.client ?? db(), {
    type: SUBMIT_USAGE_JOB,
    payload: { trigger: "schedule" },
    runAt,
    singletonKey: USAGE_JOB_KEYS.schedule,
    maxAttempts: 5,
  });
}

/**
 * Books a run at `runAt` for retries, late usage or an admin; an already waiting run of the same
 * kind is moved earlier when needed, never later.
 */
export async function requestUsageSubmission(options: {
  trigger: "retry" | "late" | "manual";
  runAt?: Date;
  client?: PrismaClient;
}): Promise<void> {
  const client = options.client ?? db();
  const runAt = options.runAt ?? new Date();
  const singletonKey = USAGE_JOB_KEYS[options.trigger];
  await enqueueJob(client, {
    type: SUBMIT_USAGE_JOB,
    payload: { trigger: options.trigger },
    runAt,
    singletonKey,
    maxAttempts: 5,
  });
  await client.job.updateMany({ where: { singletonKey, status: "pending", runAt: { gt: runAt } }, data: { runAt } });
  if (runAt.getTime() <= Date.now()) wakeWorkers();
}
