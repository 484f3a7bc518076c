import "server-only";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { enqueueJob } from "../jobs/enqueue-job";
import { wakeWorkers } from "../jobs/wake";
import { RECONCILE_JOB } from "../reconciliation/reconcile-subscriptions";
import { publisherAudit } from "./publisher-actor";

export const MANUAL_RECONCILE_KEY = "reconcile:manual";

/** "Sync now": queues one manual reconciliation (a second click while it waits is a no-op). */
export async function startReconciliation(options: { actor: Actor }) {
  await db().$transaction(async (tx) => {
    await enqueueJob(tx, {
      type: RECONCILE_JOB,
      payload: { trigger: "manual" },
      singletonKey: MANUAL_RECONCILE_KEY,
      maxAttempts: 1,
    });
    await tx.auditEvent.create({ data: { ...publisherAudit(options.actor), action: "reconciliation_requested" } });
  });
  wakeWorkers();
}
