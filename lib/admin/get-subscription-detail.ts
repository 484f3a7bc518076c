import "server-only";
import { z } from "zod";
import { db } from "../db";
import { PENDING_STATUSES } from "../operations/pending-change";
import { listJobs } from "../jobs/job-store";
import { acknowledgeOperationJob } from "../operations/acknowledge-operation";

export interface TimelineEntry {
  at: Date;
  kind: "audit" | "operation" | "webhook" | "drift";
  title: string;
  actor: string;
  detail?: string;
  status?: string;
  href?: string;
}

const TIMELINE_LIMIT = 200;

/**
 * Everything the console knows about one subscription: the row, and one timeline merging audit
 * rows, operations, webhook deliveries and reconciliation findings, newest first, each with who
 * did it (users are named from the sign-in records, by tid + oid).
 */
export async function getSubscriptionDetail(id: string) {
  // Anything but a GUID (a hostile or mangled URL) is simply not found.
  if (!z.guid().safeParse(id).success) return null;
  const subscriptionId = id.toLowerCase();
  const subscription = await db().subscription.findUnique({ where: { id: subscriptionId } });
  if (!subscription) return null;
  const [audits, operations, webhooks, drifts, failedAcks] = await Promise.all([
    db().auditEvent.findMany({ where: { subscriptionId }, orderBy: { createdAt: "desc" }, take: TIMELINE_LIMIT }),
    db().operation.findMany({ where: { subscriptionId }, orderBy: { createdAt: "desc" }, take: TIMELINE_LIMIT }),
    db().webhookEvent.findMany({ where: { subscriptionId }, orderBy: { receivedAt: "desc" }, take: TIMELINE_LIMIT }),
    db().drift.findMany({ where: { subscriptionId }, orderBy: { createdAt: "desc" }, take: TIMELINE_LIMIT }),
    listJobs({
      jobs: [acknowledgeOperationJob],
      states: ["failed"],
      data: { field: "subscriptionId", equals: subscriptionId },
      limit: 20,
    }),
  ]);

  const people = new Map<string, string>();
  const ids = [...audits, ...operations].flatMap((row) =>
    row.actorTid && row.actorOid ? [{ tid: row.actorTid, oid: row.actorOid }] : [],
  );
  if (ids.length > 0) {
    const users = await db().user.findMany({ where: { OR: ids.slice(0, 100) } });
    for (const user of users) people.set(`${user.tid}:${user.oid}`, user.email ?? user.name ?? user.oid);
  }
  const who = (type: string, tid: string | null, oid: string | null) =>
    tid && oid ? `${type === "user" ? "" : `${type} `}${people.get(`${tid}:${oid}`) ?? `${tid}:${oid}`}` : type;

  const timeline: TimelineEntry[] = [
    ...audits.map((row) => ({
      at: row.createdAt,
      kind: "audit" as const,
      title: row.action.replace(/_/g, " "),
      actor: who(row.actorType, row.actorTid, row.actorOid),
      status: row.fromStatus || row.toStatus ? `${row.fromStatus ?? "—"} → ${row.toStatus ?? "—"}` : undefined,
      detail: row.detail ? JSON.stringify(row.detail) : undefined,
    })),
    ...operations.map((row) => ({
      at: row.createdAt,
      kind: "operation" as const,
      title: `${row.action} operation (${row.source})`,
      actor: row.actorTid && row.actorOid ? who("user", row.actorTid, row.actorOid) : row.source.toLowerCase(),
      status: row.status,
      detail:
        [
          row.requestedPlanId && `plan ${row.requestedPlanId}`,
          row.requestedQuantity !== null && `seats ${row.requestedQuantity}`,
          row.errorMessage,
        ]
          .filter(Boolean)
          .join(" · ") || undefined,
      href: `/admin/operations?id=${encodeURIComponent(row.id)}`,
    })),
    ...webhooks.map((row) => ({
      at: row.receivedAt,
      kind: "webhook" as const,
      title: `Webhook ${row.action}`,
      actor: `marketplace${row.requestSource ? ` (${row.requestSource})` : ""}`,
      status: row.status,
      detail:
        [row.outcome, row.acknowledgement && `acknowledged ${row.acknowledgement}`].filter(Boolean).join(" · ") ||
        undefined,
      href: `/admin/webhooks/${encodeURIComponent(row.id)}`,
    })),
    ...drifts.map((row) => ({
      at: row.createdAt,
      kind: "drift" as const,
      title: `Drift in ${row.field}`,
      actor: "reconciliation",
      status: row.resolution,
      detail: `ours ${row.localValue ?? "—"}, Microsoft's ${row.remoteValue ?? "—"}`,
      href: `/admin/reconciliation?run=${encodeURIComponent(row.runId)}`,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());

  const pendingChange = operations.find((row) => PENDING_STATUSES.includes(row.status) && row.action !== "Activate");
  const lastActivation = operations.find((row) => row.action === "Activate");
  return {
    subscription,
    timeline,
    pendingChange,
    activationFailed: subscription.status === "PendingFulfillmentStart" && lastActivation?.status === "Failed",
    failedAcknowledgements: failedAcks.map((job) => ({
      jobId: job.id,
      error: job.error,
      at: job.completedOn ?? job.createdOn,
    })),
  };
}
