/**
 * When the usage submission runs. Scheduled runs follow the clock (by default hh:05, five minutes
 * after each hour closes: METERING_SUBMIT_INTERVAL_MINUTES / METERING_SUBMIT_DELAY_MINUTES);
 * retries, late usage and an admin's "submit now" book their own runs. One waiting run per kind.
 */
import "server-only";
import { z } from "zod";
import { db, type PrismaClient } from "../db";
import { cronEvery } from "../jobs/cron";
import { defineJob } from "../jobs/define-job";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import { meteringSettings } from "./metering-settings";

export const usageTriggers = ["schedule", "retry", "late", "manual", "cli"] as const;
export type UsageTrigger = (typeof usageTriggers)[number];

export const submitUsageJob = defineJob({
  name: "submit-usage",
  payload: z.object({ trigger: z.enum(usageTriggers).default("schedule") }),
  key: (payload) => `metering:${payload.trigger}`,
  retry: { limit: 4, delaySeconds: 30, backoff: true },
  expireInSeconds: 15 * 60,
  schedule: () => {
    const settings = meteringSettings();
    return settings.submitIntervalMinutes > 0
      ? {
          cron: cronEvery(settings.submitIntervalMinutes, settings.submitDelayMinutes),
          payload: { trigger: "schedule" as const },
        }
      : null;
  },
  // Loaded when it runs: submit-usage.ts books its own retries through requestUsageSubmission below.
  run: async (payload) => {
    const { submitUsage } = await import("./submit-usage");
    await submitUsage(payload);
  },
});

/**
 * Books a run at `runAt` for retries, late usage or an admin; an already waiting run of the same
 * kind is moved earlier when needed, never later.
 */
export async function requestUsageSubmission(options: {
  trigger: "retry" | "late" | "manual";
  runAt?: Date;
  client?: PrismaClient;
}): Promise<void> {
  const runAt = options.runAt ?? new Date();
  await enqueue(
    options.client ?? db(),
    submitUsageJob,
    { trigger: options.trigger },
    { startAfter: runAt, moveEarlier: true },
  );
  if (runAt.getTime() <= Date.now()) wakeWorkers();
}
