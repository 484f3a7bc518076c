import "server-only";
import { z } from "zod";
import { db } from "../db";
import { PENDING_STATUSES } from "../operations/pending-change";
import { listJobs } from "../jobs/job-store";
import { acknowledgeOperationJob } from "../operations/acknowledge-operation";

/**
 * Who did something: a person (named by email or name from the sign-in records, else tid:oid), or
 * a kind of party (marketplace, system, customer, publisher, reconciliation) and, for a person
 * acting as one, their name. `via` is Microsoft's requestSource of a webhook.
 */
export interface TimelineActor {
  type: string;
  name?: string;
  via?: string;
}

/** One line of the timeline, as data: the console puts it into words in the reader's language. */
export type TimelineEntry = { at: Date; actor: TimelineActor; href?: string } & (
  | { kind: "audit"; action: string; fromStatus: string | null; toStatus: string | null; detail?: string }
  | {
      kind: "operation";
      action: string;
      source: string;
      status: string;
      planId: string | null;
      quantity: number | null;
      error: string | null;
    }
  | { kind: "webhook"; action: string; status: string; outcome: string | null; acknowledgement: string | null }
  | { kind: "drift"; field: string; resolution: string; localValue: string | null; remoteValue: string | null }
);

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
  const who = (type: string, tid: string | null, oid: string | null): TimelineActor =>
    tid && oid ? { type, name: people.get(`${tid}:${oid}`) ?? `${tid}:${oid}` } : { type };

  const timeline: TimelineEntry[] = [
    ...audits.map((row): TimelineEntry => ({
      at: row.createdAt,
      kind: "audit",
      action: row.action,
      actor: who(row.actorType, row.actorTid, row.actorOid),
      fromStatus: row.fromStatus,
      toStatus: row.toStatus,
      detail: row.detail ? JSON.stringify(row.detail) : undefined,
    })),
    ...operations.map((row): TimelineEntry => ({
      at: row.createdAt,
      kind: "operation",
      action: row.action,
      source: row.source,
      actor:
        row.actorTid && row.actorOid ? who("user", row.actorTid, row.actorOid) : { type: row.source.toLowerCase() },
      status: row.status,
      planId: row.requestedPlanId,
      quantity: row.requestedQuantity,
      error: row.errorMessage,
      href: `/admin/operations?id=${encodeURIComponent(row.id)}`,
    })),
    ...webhooks.map((row): TimelineEntry => ({
      at: row.receivedAt,
      kind: "webhook",
      action: row.action,
      actor: { type: "marketplace", via: row.requestSource ?? undefined },
      status: row.status,
      outcome: row.outcome,
      acknowledgement: row.acknowledgement,
      href: `/admin/webhooks/${encodeURIComponent(row.id)}`,
    })),
    ...drifts.map((row): TimelineEntry => ({
      at: row.createdAt,
      kind: "drift",
      field: row.field,
      actor: { type: "reconciliation" },
      resolution: row.resolution,
      localValue: row.localValue,
      remoteValue: row.remoteValue,
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
