/**
 * The console's usage page: what needs a human (lost, refused, mismatched, held, close to
 * expiry), hours by status, usage per subscription and dimension, and when submission runs next.
 */
import "server-only";
import { db } from "../db";
import { listJobs, WAITING_STATES } from "../jobs/job-store";
import { submitUsageJob } from "./submit-usage";
import { meteringSettings } from "./metering-settings";
import { addQuantities, normalizeQuantity } from "./quantity";
import { billableUntil, expiryWarningFrom, isRetryableHour } from "./usage-window";

const text = (value: { toFixed(): string } | null | undefined) =>
  value ? (normalizeQuantity(value.toFixed()) ?? "0") : "0";
const WAITING = new Set(["pending", "submitting", "held"]);
const LOST = new Set(["expired", "failed"]);

export interface UsageRow {
  subscriptionId: string;
  subscriptionName: string | null;
  offerId: string | null;
  planId: string | null;
  dimension: string;
  reported: string;
  billed: string;
  waiting: string;
  lost: string;
  lastHour: Date | null;
}

export async function getUsageOverview(options: { now?: Date; days?: number } = {}) {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.days ?? 7) * 86_400_000);
  const warnFrom = expiryWarningFrom(now, meteringSettings().expiryWarningHours);

  const [attention, byStatus, perDimension, open, queued, lastRun] = await Promise.all([
    db().usageHour.findMany({
      where: {
        hourStart: { gte: since },
        OR: [
          { status: { in: ["failed", "held", "expired"] } },
          { quantityMismatch: true },
          { status: { in: ["pending", "submitting"] }, quantity: { gt: 0 }, hourStart: { lte: warnFrom } },
        ],
      },
      orderBy: [{ hourStart: "desc" }, { id: "desc" }],
      take: 100,
    }),
    db().usageHour.groupBy({ by: ["status"], where: { hourStart: { gte: since } }, _count: { _all: true } }),
    db().usageHour.groupBy({
      by: ["subscriptionId", "dimension", "status"],
      where: { hourStart: { gte: since } },
      _sum: { quantity: true, billedQuantity: true },
      _max: { hourStart: true },
    }),
    db().usageRecord.groupBy({
      by: ["subscriptionId", "dimension"],
      where: { usageHourId: null },
      _sum: { quantity: true },
      _max: { hourStart: true },
    }),
    listJobs({ jobs: [submitUsageJob], states: [...WAITING_STATES, "active"], order: "due" }),
    listJobs({ jobs: [submitUsageJob], states: ["completed", "failed"], limit: 1 }).then((rows) => rows[0]),
  ]);

  const rows = new Map<
    string,
    UsageRow & { parts: { reported: string[]; billed: string[]; waiting: string[]; lost: string[] } }
  >();
  const rowFor = (subscriptionId: string, dimension: string) => {
    const key = `${subscriptionId}|${dimension}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        subscriptionId,
        dimension,
        subscriptionName: null,
        offerId: null,
        planId: null,
        reported: "0",
        billed: "0",
        waiting: "0",
        lost: "0",
        lastHour: null,
        parts: { reported: [], billed: [], waiting: [], lost: [] },
      };
      rows.set(key, row);
    }
    return row;
  };
  const later = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);
  for (const group of perDimension) {
    const row = rowFor(group.subscriptionId, group.dimension);
    const quantity = text(group._sum.quantity);
    row.parts.reported.push(quantity);
    if (group.status === "accepted" || group.status === "duplicate")
      row.parts.billed.push(text(group._sum.billedQuantity));
    if (WAITING.has(group.status)) row.parts.waiting.push(quantity);
    if (LOST.has(group.status)) row.parts.lost.push(quantity);
    row.lastHour = later(row.lastHour, group._max.hourStart);
  }
  for (const group of open) {
    const row = rowFor(group.subscriptionId, group.dimension);
    row.parts.reported.push(text(group._sum.quantity));
    row.parts.waiting.push(text(group._sum.quantity));
    row.lastHour = later(row.lastHour, group._max.hourStart);
  }

  const ids = [
    ...new Set(
      [...rows.values()].map((row) => row.subscriptionId).concat(attention.map((hour) => hour.subscriptionId)),
    ),
  ];
  const subscriptions = new Map(
    (
      await db().subscription.findMany({
        where: { id: { in: ids } },
        select: { id: true, name: true, offerId: true, planId: true },
      })
    ).map((s) => [s.id, s]),
  );

  return {
    now,
    since,
    attention: attention.map((hour) => ({
      id: hour.id.toString(),
      subscriptionId: hour.subscriptionId,
      subscriptionName: subscriptions.get(hour.subscriptionId)?.name ?? null,
      dimension: hour.dimension,
      hourStart: hour.hourStart,
      quantity: text(hour.quantity),
      billedQuantity: hour.billedQuantity ? text(hour.billedQuantity) : null,
      status: hour.status,
      quantityMismatch: hour.quantityMismatch,
      reason: hour.lastError,
      billableUntil: billableUntil(hour.hourStart),
      retryable: isRetryableHour(hour, now),
    })),
    byStatus: byStatus
      .map((group) => ({ status: group.status, hours: group._count._all }))
      .sort((a, b) => b.hours - a.hours),
    rows: [...rows.values()]
      .map(({ parts, ...row }) => {
        const subscription = subscriptions.get(row.subscriptionId);
        return {
          ...row,
          subscriptionName: subscription?.name ?? null,
          offerId: subscription?.offerId ?? null,
          planId: subscription?.planId ?? null,
          reported: addQuantities(parts.reported),
          billed: addQuantities(parts.billed),
          waiting: addQuantities(parts.waiting),
          lost: addQuantities(parts.lost),
        };
      })
      .sort(
        (a, b) =>
          (b.lastHour?.getTime() ?? 0) - (a.lastHour?.getTime() ?? 0) ||
          a.subscriptionId.localeCompare(b.subscriptionId) ||
          a.dimension.localeCompare(b.dimension),
      ),
    queued: queued.map((job) => ({
      status: job.state,
      runAt: job.startAfter,
      trigger: typeof job.data.trigger === "string" ? job.data.trigger : "schedule",
    })),
    lastRun,
  };
}
export type UsageOverview = Awaited<ReturnType<typeof getUsageOverview>>;
