import "server-only";
import { db } from "../db";
import { countJobs } from "../jobs/job-store";
import { acknowledgeOperationJob } from "../operations/acknowledge-operation";
import { countUsageFindings } from "./list-usage-reconciliation";
import { ATTENTION_WEBHOOK_STATUSES } from "../webhooks/webhook-statuses";
import { setupPendingAttention } from "./setup-pending-attention";

const DAYS = 30;
const RECENT_MS = 7 * 86_400_000;
/** A delivery still unprocessed after this long has lost its job (or Microsoft is down). */
export const STUCK_WEBHOOK_MS = 10 * 60_000;

/** One line of "Needs attention": the console names each key in the reader's language. */
export interface AttentionItem {
  key: AttentionKey;
  count: number;
  href: string;
}
export type AttentionKey =
  | "activation-failed"
  | "ack-failed"
  | "setup-pending"
  | "drift"
  | "usage-reconciliation"
  | "webhook-refused"
  | "webhook-stuck"
  | "jobs-failed";

/** The dashboard's numbers, each one query (indexes on status, offerId+planId, createdAt). */
export async function getDashboard(now = new Date()) {
  const since = new Date(now.getTime() - RECENT_MS);
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (DAYS - 1)));
  const [byStatus, byPlan, perDay, activationFailed, ackFailed, drifts, refused, stuck, failedJobs] = await Promise.all(
    [
      db().subscription.groupBy({ by: ["status"], _count: { _all: true } }),
      db().subscription.groupBy({
        by: ["offerId", "planId"],
        _count: { _all: true },
        orderBy: [{ offerId: "asc" }, { planId: "asc" }],
      }),
      db().$queryRaw<Array<{ day: Date; count: bigint }>>`
      SELECT date_trunc('day', "createdAt") AS day, count(*) AS count FROM "Subscription"
      WHERE "createdAt" >= ${from} GROUP BY 1 ORDER BY 1`,
      db().subscription.count({
        where: { status: "PendingFulfillmentStart", operations: { some: { action: "Activate", status: "Failed" } } },
      }),
      countJobs({ jobs: [acknowledgeOperationJob], states: ["failed"] }).then((counts) => counts.failed),
      db().drift.count({ where: { createdAt: { gte: since } } }),
      db().webhookEvent.count({ where: { status: { in: ATTENTION_WEBHOOK_STATUSES }, receivedAt: { gte: since } } }),
      db().webhookEvent.count({
        where: {
          status: { in: ["received", "processing"] },
          receivedAt: { lt: new Date(now.getTime() - STUCK_WEBHOOK_MS) },
        },
      }),
      countJobs({ states: ["failed"] }).then((counts) => counts.failed),
    ],
  );

  const setupPending = await setupPendingAttention();
  const usageFindings = await countUsageFindings({ since });
  const days = new Map(perDay.map((row) => [row.day.toISOString().slice(0, 10), Number(row.count)]));
  const series = Array.from({ length: DAYS }, (_, index) => {
    const day = new Date(from.getTime() + index * 86_400_000).toISOString().slice(0, 10);
    return { day, count: days.get(day) ?? 0 };
  });
  const attention: AttentionItem[] = [
    {
      key: "activation-failed",
      count: activationFailed,
      href: "/admin/subscriptions?status=PendingFulfillmentStart",
    },
    {
      key: "ack-failed",
      count: ackFailed,
      href: "/admin/operations?jobs=failed",
    },
    setupPending,
    { key: "drift", count: drifts, href: "/admin/reconciliation" },
    {
      key: "usage-reconciliation",
      count: usageFindings,
      href: "/admin/usage/reconciliation",
    },
    {
      key: "webhook-refused",
      count: refused,
      href: "/admin/webhooks?status=attention",
    },
    {
      key: "webhook-stuck",
      count: stuck,
      href: "/admin/webhooks?status=stuck",
    },
    {
      key: "jobs-failed",
      count: failedJobs,
      href: "/admin/operations?jobs=failed",
    },
  ];
  return {
    total: byStatus.reduce((sum, row) => sum + row._count._all, 0),
    byStatus: byStatus.map((row) => ({ status: row.status, count: row._count._all })),
    byPlan: byPlan.map((row) => ({ offerId: row.offerId, planId: row.planId, count: row._count._all })),
    series,
    attention,
  };
}
