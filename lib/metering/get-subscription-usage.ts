/**
 * One subscription's usage per dimension and hour, for the console's chart and table: every
 * hour of the range (zero when nothing was reported), what was sent, what Microsoft answered, and
 * the usage of hours not yet closed.
 */
import "server-only";
import { db } from "../db";
import { cachedPlanDimensions } from "./find-plan-dimensions";
import { normalizeQuantity } from "./quantity";
import { HOUR_MS, hourStartOf, isRetryableHour } from "./usage-window";

export type HourPointStatus =
  "accepted" | "duplicate" | "pending" | "submitting" | "held" | "failed" | "expired" | "skipped" | "open" | "none";

export interface HourPoint {
  hourStart: Date;
  quantity: string;
  status: HourPointStatus;
  hourId: string | null;
  usageEventId: string | null;
  billedQuantity: string | null;
  quantityMismatch: boolean;
  attempts: number;
  lastStatus: string | null;
  reason: string | null;
  submittedAt: Date | null;
  resolvedAt: Date | null;
  nextAttemptAt: Date | null;
  records: number;
  retryable: boolean;
}

const text = (value: { toFixed(): string } | null | undefined) =>
  value ? (normalizeQuantity(value.toFixed()) ?? "0") : "0";

export async function getSubscriptionUsage(options: { subscriptionId: string; hours?: number; now?: Date }) {
  if (!/^[0-9a-f-]{36}$/i.test(options.subscriptionId)) return null;
  const subscriptionId = options.subscriptionId.toLowerCase();
  const subscription = await db().subscription.findUnique({
    where: { id: subscriptionId },
    select: { id: true, name: true, offerId: true, planId: true, status: true, beneficiaryEmail: true },
  });
  if (!subscription) return null;
  const now = options.now ?? new Date();
  const hours = Math.min(Math.max(options.hours ?? 48, 1), 24 * 31);
  const last = hourStartOf(now);
  const since = new Date(last.getTime() - (hours - 1) * HOUR_MS);

  const [rows, open] = await Promise.all([
    db().usageHour.findMany({
      where: { subscriptionId, hourStart: { gte: since } },
      orderBy: { hourStart: "asc" },
      include: { _count: { select: { records: true } } },
    }),
    db().usageRecord.groupBy({
      by: ["dimension", "hourStart"],
      where: { subscriptionId, usageHourId: null, hourStart: { gte: since } },
      _sum: { quantity: true },
      _count: { _all: true },
    }),
  ]);

  const known = cachedPlanDimensions(subscription.offerId, subscription.planId) ?? [];
  const dimensionIds = [
    ...new Set([...known.map((d) => d.id), ...rows.map((r) => r.dimension), ...open.map((o) => o.dimension)]),
  ].sort();
  const range = Array.from({ length: hours }, (_, i) => new Date(since.getTime() + i * HOUR_MS));
  const dimensions = dimensionIds.map((id) => {
    const meta = known.find((d) => d.id === id);
    const points: HourPoint[] = range.map((hourStart) => {
      const row = rows.find((r) => r.dimension === id && r.hourStart.getTime() === hourStart.getTime());
      const pending = open.find((o) => o.dimension === id && o.hourStart.getTime() === hourStart.getTime());
      if (row) {
        return {
          hourStart,
          quantity: text(row.quantity),
          status: row.status as HourPointStatus,
          hourId: row.id.toString(),
          usageEventId: row.usageEventId,
          billedQuantity: row.billedQuantity ? text(row.billedQuantity) : null,
          quantityMismatch: row.quantityMismatch,
          attempts: row.attempts,
          lastStatus: row.lastStatus,
          reason: row.lastError,
          submittedAt: row.submittedAt,
          resolvedAt: row.resolvedAt,
          nextAttemptAt: row.nextAttemptAt,
          records: row._count.records,
          retryable: isRetryableHour(row, now),
        };
      }
      return {
        hourStart,
        quantity: pending ? text(pending._sum.quantity) : "0",
        status: pending ? "open" : "none",
        hourId: null,
        usageEventId: null,
        billedQuantity: null,
        quantityMismatch: false,
        attempts: 0,
        lastStatus: null,
        reason: null,
        submittedAt: null,
        resolvedAt: null,
        nextAttemptAt: null,
        records: pending?._count._all ?? 0,
        retryable: false,
      };
    });
    return { id, displayName: meta?.displayName ?? null, unitOfMeasure: meta?.unitOfMeasure ?? null, points };
  });
  return { subscription, since, hours, dimensions };
}
export type SubscriptionUsage = NonNullable<Awaited<ReturnType<typeof getSubscriptionUsage>>>;
