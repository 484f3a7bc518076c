/**
 * The console's view of usage reconciliation (`/admin/usage/reconciliation`): the findings, newest
 * period first, with the names of subscription, offer and plan, filterable by outcome, subscription
 * and dimension; how many there are of each outcome; when Microsoft was last asked and when it will
 * be asked next. Also the dashboard's count of findings that need a human.
 */
import "server-only";
import { z } from "zod";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { UsageReconciliationOutcome } from "../generated/prisma/enums";
import { listJobs, WAITING_STATES } from "../jobs/job-store";
import { ALERT_OUTCOMES } from "../metering/compare-usage-report";
import { normalizeQuantity } from "../metering/quantity";
import { reconcileUsageJob } from "../metering/reconcile-usage";
import { fetchPage, single } from "./paging";
import { queryText } from "./query-text";

export const USAGE_FINDING_FILTERS = ["attention", "all", ...Object.values(UsageReconciliationOutcome)] as const;
export type UsageFindingFilter = (typeof USAGE_FINDING_FILTERS)[number];

export const usageReconciliationQuerySchema = z.object({
  outcome: z.preprocess(single, z.enum(USAGE_FINDING_FILTERS).catch("attention").default("attention")),
  subscription: queryText("Subscription", 100),
  dimension: queryText("Dimension", 100),
  page: z.preprocess(single, z.coerce.number().int().min(1).max(1000).catch(1).default(1)),
});
export type UsageReconciliationQuery = z.infer<typeof usageReconciliationQuerySchema>;
const PAGE = 50;

const text = (value: { toFixed(): string } | null | undefined) =>
  value === null || value === undefined ? null : (normalizeQuantity(value.toFixed()) ?? value.toFixed());

function whereOf(query: Omit<UsageReconciliationQuery, "page">): Prisma.UsageReconciliationWhereInput {
  return {
    ...(query.outcome === "attention"
      ? { outcome: { in: [...ALERT_OUTCOMES] } }
      : query.outcome === "all"
        ? {}
        : { outcome: query.outcome }),
    ...(query.subscription ? { subscriptionId: query.subscription.toLowerCase() } : {}),
    ...(query.dimension ? { dimension: query.dimension } : {}),
  };
}

export async function listUsageReconciliation(query: UsageReconciliationQuery) {
  const where = whereOf(query);
  const [page, byOutcome, lastChecked, queued, lastRun] = await Promise.all([
    fetchPage({
      page: query.page,
      size: PAGE,
      count: () => db().usageReconciliation.count({ where }),
      rows: (skip) =>
        db().usageReconciliation.findMany({
          where,
          orderBy: [{ periodStart: "desc" }, { subscriptionId: "asc" }, { dimension: "asc" }],
          skip,
          take: PAGE,
        }),
    }),
    db().usageReconciliation.groupBy({
      by: ["outcome"],
      where: whereOf({ ...query, outcome: "all" }),
      _count: { _all: true },
    }),
    // Each check rewrites every row of its window, so the newest period's row carries the last check.
    db().usageReconciliation.findFirst({ orderBy: { periodStart: "desc" }, select: { checkedAt: true } }),
    listJobs({ jobs: [reconcileUsageJob], states: [...WAITING_STATES, "active"], order: "due" }),
    listJobs({ jobs: [reconcileUsageJob], states: ["completed", "failed"], limit: 1 }).then((rows) => rows[0]),
  ]);
  const subscriptions = new Map(
    (
      await db().subscription.findMany({
        where: { id: { in: [...new Set(page.rows.map((row) => row.subscriptionId))] } },
        select: { id: true, name: true, offerId: true, planId: true },
      })
    ).map((s) => [s.id, s]),
  );
  const counts = Object.fromEntries(byOutcome.map((group) => [group.outcome, group._count._all])) as Partial<
    Record<UsageReconciliationOutcome, number>
  >;
  return {
    ...page,
    rows: page.rows.map((row) => {
      const subscription = subscriptions.get(row.subscriptionId);
      return {
        id: row.id.toString(),
        subscriptionId: row.subscriptionId,
        subscriptionName: subscription?.name ?? null,
        offerId: subscription?.offerId ?? row.offerId ?? null,
        offerName: row.offerName,
        planId: row.planId ?? subscription?.planId ?? null,
        planName: row.planName,
        known: subscription !== undefined,
        dimension: row.dimension,
        period: row.period,
        periodStart: row.periodStart,
        ourQuantity: text(row.ourQuantity) ?? "0",
        ourHours: row.ourHours,
        submittedQuantity: text(row.submittedQuantity),
        processedQuantity: text(row.processedQuantity),
        submittedCount: row.submittedCount,
        reconStatus: row.reconStatus,
        outcome: row.outcome,
        reason: row.reason,
        outcomeSince: row.outcomeSince,
        checkedAt: row.checkedAt,
      };
    }),
    counts,
    lastChecked: lastChecked?.checkedAt ?? null,
    queued: queued.map((job) => ({ status: job.state, runAt: job.startAfter })),
    lastRun: lastRun ? { state: lastRun.state, completedOn: lastRun.completedOn, error: lastRun.error } : undefined,
  };
}
export type UsageReconciliationList = Awaited<ReturnType<typeof listUsageReconciliation>>;

/**
 * Findings that need a human (rejected, mismatch, missing) for periods since `since` (default: the
 * last 7 days), of one subscription or all: the count on the dashboard and the usage pages.
 */
export function countUsageFindings(options: { since?: Date; subscriptionId?: string } = {}): Promise<number> {
  return db().usageReconciliation.count({
    where: {
      outcome: { in: [...ALERT_OUTCOMES] },
      periodStart: { gte: options.since ?? new Date(Date.now() - 7 * 86_400_000) },
      ...(options.subscriptionId ? { subscriptionId: options.subscriptionId } : {}),
    },
  });
}
