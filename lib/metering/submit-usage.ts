/**
 * One submission run (marketplace-contract.md §9): fold closed hours, settle what cannot be billed,
 * send the rest to the Metering API in batches of at most 25 (oldest first, so a backlog left by
 * downtime is caught up while it is still inside the 24-hour window), record each item's answer,
 * warn about usage close to expiry, and book the next run for retries. Runs as the `submit-usage`
 * job: on a cron schedule (by default hh:05, five minutes after each hour closes:
 * METERING_SUBMIT_INTERVAL_MINUTES / METERING_SUBMIT_DELAY_MINUTES), and when retries, late usage or
 * an admin's "submit now" book a run (one waiting run per kind).
 *
 * Never billing twice rests on three things: an hour's row is marked `submitting` before the call
 * (claim-usage-hours.ts), its quantity is frozen from then on (aggregate-usage.ts), and a re-sent
 * hour that Microsoft already has comes back as Duplicate, which counts as billed (and as our own
 * accepted event when an earlier send of ours may have reached Microsoft with that quantity).
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db, type PrismaClient } from "../db";
import { cronEvery } from "../jobs/cron";
import { defineJob } from "../jobs/define-job";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import { marketplace, MAX_USAGE_EVENTS_PER_BATCH, type MarketplaceClient } from "../marketplace";
import { isMarketplaceError } from "../marketplace/errors";
import type { BatchUsageEventItem } from "../marketplace/schemas";
import { logger } from "../logger";
import { telemetry } from "../telemetry/telemetry";
import { aggregateUsage, type AggregationResult } from "./aggregate-usage";
import { claimUsageHours, SUBMIT_LEASE_MARGIN_MS, SUBMIT_LEASE_MS } from "./claim-usage-hours";
import {
  classifyBatchFailure,
  classifyUsageItem,
  retryLater,
  type ClaimedHour,
  type HourOutcome,
  type UsageHourStatus,
} from "./classify-usage-result";
import { meteringSettings } from "./metering-settings";
import { recordUsageOutcomes } from "./record-usage-outcomes";
import { settleUnbillableHours } from "./settle-unbillable-hours";
import { expiryCutoff, hourStartOf, lastSubmittableHour } from "./usage-window";
import { warnExpiringUsage } from "./warn-expiring-usage";

export type UsageSender = Pick<MarketplaceClient, "batchUsageEvent">;

export interface SubmissionSummary {
  trigger: UsageTrigger;
  aggregated: AggregationResult;
  skipped: number;
  expired: number;
  batches: number;
  /** Hours whose events went to Microsoft in this run. */
  sent: number;
  outcomes: Partial<Record<UsageHourStatus, number>>;
  warned: number;
  nextRunAt: Date | null;
}

export interface SubmitUsageOptions {
  trigger: UsageTrigger;
  now?: Date;
  /** The Metering API client (tests wrap it to simulate a crash). */
  sender?: UsageSender;
  /** Batches in flight at once. */
  concurrency?: number;
  /** Upper bound of calls in one run (the rest waits for the next run). */
  maxBatches?: number;
}

export async function submitUsage(options: SubmitUsageOptions): Promise<SubmissionSummary> {
  const settings = meteringSettings();
  const now = options.now ?? new Date();
  const sender = options.sender ?? marketplace();
  // An admin's "submit now" sends every closed hour at once and retries without waiting.
  const manual = options.trigger === "manual";
  const delayMinutes = manual ? 0 : settings.submitDelayMinutes;
  const closedUntil = lastSubmittableHour(now, delayMinutes);
  const expiredBefore = expiryCutoff(now);

  const aggregated = await aggregateUsage({ now, delayMinutes });
  const settled = await settleUnbillableHours({ now, closedUntil, expiredBefore });

  const summary: SubmissionSummary = {
    trigger: options.trigger,
    aggregated,
    ...settled,
    batches: 0,
    sent: 0,
    outcomes: {},
    warned: 0,
    nextRunAt: null,
  };
  // The run's clock: `now` advanced by the time the run has taken, so a batch claimed late in a long
  // run gets a lease of its own, not one already spent.
  const startedAt = performance.now();
  const clock = () => new Date(now.getTime() + (performance.now() - startedAt));
  const maxBatches = options.maxBatches ?? 2000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const lanes: Promise<void>[] = [];
  const lane = async (): Promise<void> => {
    while (summary.batches < maxBatches) {
      const batchId = randomUUID();
      const claimedAt = clock();
      const deadline = Date.now() + SUBMIT_LEASE_MS - SUBMIT_LEASE_MARGIN_MS;
      const hours = await claimUsageHours({
        now,
        claimedAt,
        closedUntil,
        expiredBefore,
        batchId,
        limit: MAX_USAGE_EVENTS_PER_BATCH,
        force: manual,
      });
      if (hours.length === 0) return;
      summary.batches += 1;
      // More lanes only once there is more than a batch of work: a small run sends full batches.
      if (lanes.length === 0 && hours.length === MAX_USAGE_EVENTS_PER_BATCH)
        for (let i = 1; i < concurrency; i += 1) lanes.push(lane());
      const outcomes = await sendHours(sender, hours, batchId, now, deadline);
      await recordUsageOutcomes({ batchId, hours, outcomes });
      telemetry.usageSubmitted(outcomes);
      // Hours whose events went to Microsoft (not those of a split batch the run's time ran out for).
      summary.sent += outcomes.filter((outcome) => outcome.lastStatus !== NOT_SENT).length;
      for (const outcome of outcomes) summary.outcomes[outcome.status] = (summary.outcomes[outcome.status] ?? 0) + 1;
    }
  };
  await lane();
  await Promise.all(lanes);

  summary.warned = await warnExpiringUsage({ now, warningHours: settings.expiryWarningHours });
  summary.nextRunAt = await bookFollowUp(expiredBefore);
  logger.info("metered usage submitted", {
    trigger: summary.trigger,
    records: aggregated.records,
    hours: aggregated.hours,
    rolledOver: aggregated.rolledOver,
    sent: summary.sent,
    batches: summary.batches,
    outcomes: summary.outcomes,
    skipped: summary.skipped,
    expired: summary.expired,
    warned: summary.warned,
  });
  return summary;
}

/**
 * One call for the claimed hours. A failure that is not the marketplace's (a bug, a crash) is
 * rethrown with the rows still `submitting`: their lease decides when they are sent again.
 */
async function sendHours(
  sender: UsageSender,
  hours: ClaimedHour[],
  batchId: string,
  now: Date,
  deadline: number,
): Promise<HourOutcome[]> {
  try {
    const { items, repeated } = await sender.batchUsageEvent(hours.map(eventOf), { correlationId: batchId, deadline });
    return hours.map((hour, index) => classifyUsageItem(hour, matchItem(items, hours, hour, index), now, { repeated }));
  } catch (error) {
    if (!isMarketplaceError(error)) throw error;
    const verdicts = hours.map((hour) => classifyBatchFailure(hour, error, now, hours.length));
    if (!verdicts.includes("split")) return verdicts.filter((v): v is HourOutcome => v !== "split");
    // Microsoft refused the batch as a whole (a 400): one call per event tells which one is bad.
    logger.warn("usage batch refused; sending its events one by one", {
      batchId,
      events: hours.length,
      error: error.message,
    });
    const outcomes: HourOutcome[] = [];
    for (const hour of hours) {
      // Not sent before the lease runs out: back to pending with the usual retry delay, so the same
      // run does not claim it straight back (the batch was refused as a whole: nothing of it was billed).
      if (Date.now() + SINGLE_EVENT_MIN_MS > deadline)
        outcomes.push(
          retryLater(
            hour,
            NOT_SENT,
            "Not sent yet: its batch was refused and split, and the run's time for it ran out.",
            now,
          ),
        );
      else outcomes.push(...(await sendHours(sender, [hour], batchId, now, deadline)));
    }
    return outcomes;
  }
}

/** The last status of an hour a run claimed but did not send. */
const NOT_SENT = "NotSent";

/** The least time left worth sending one event of a split batch in. */
const SINGLE_EVENT_MIN_MS = 2_000;

function eventOf(hour: ClaimedHour) {
  return {
    resourceId: hour.subscriptionId,
    quantity: Number(hour.quantity),
    dimension: hour.dimension,
    effectiveStartTime: hour.hourStart,
    planId: hour.planId,
  };
}

const sameHour = (a: Date | undefined, b: Date) =>
  a !== undefined && hourStartOf(a).getTime() === hourStartOf(b).getTime();
const samePair = (item: BatchUsageEventItem, hour: ClaimedHour) =>
  item.resourceId?.toLowerCase() === hour.subscriptionId && item.dimension === hour.dimension;

/**
 * Results usually come back in request order, but Microsoft's documents do not promise it: an item
 * is matched by what it echoes (resource, dimension and hour — several hours of one resource and
 * dimension often share a batch), and by position only when it echoes too little to tell.
 */
function matchItem(
  items: BatchUsageEventItem[],
  hours: ClaimedHour[],
  hour: ClaimedHour,
  index: number,
): BatchUsageEventItem | undefined {
  const echoed = items.find((item) => samePair(item, hour) && sameHour(item.effectiveStartTime, hour.hourStart));
  if (echoed) return echoed;
  const positional = items.length === hours.length ? items[index] : undefined;
  if (!positional) return undefined;
  // An item without the hour is ours by position if it names our pair, or names nothing at all.
  if (positional.effectiveStartTime === undefined && samePair(positional, hour)) return positional;
  return !positional.resourceId && !positional.dimension && positional.effectiveStartTime === undefined
    ? positional
    : undefined;
}

/** Books a run for the earliest retry or lease expiry still inside the window. */
async function bookFollowUp(expiredBefore: Date): Promise<Date | null> {
  const [retry, lease] = await Promise.all([
    db().usageHour.aggregate({
      _min: { nextAttemptAt: true },
      where: { status: { in: ["pending", "held"] }, nextAttemptAt: { not: null }, hourStart: { gt: expiredBefore } },
    }),
    db().usageHour.aggregate({
      _min: { submittedAt: true },
      where: { status: "submitting", hourStart: { gt: expiredBefore } },
    }),
  ]);
  const candidates = [
    retry._min.nextAttemptAt,
    lease._min.submittedAt ? new Date(lease._min.submittedAt.getTime() + SUBMIT_LEASE_MS + 1000) : null,
  ].filter((date): date is Date => date !== null);
  if (candidates.length === 0) return null;
  // Never sooner than a few seconds: a run that finds nothing to do must not book itself at once again.
  const runAt = new Date(Math.max(Date.now() + 5_000, Math.min(...candidates.map((date) => date.getTime()))));
  await requestUsageSubmission({ trigger: "retry", runAt });
  return runAt;
}

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
  run: async (payload) => {
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
