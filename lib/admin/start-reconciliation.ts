import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import { reconcileSubscriptionsJob } from "../reconciliation/reconcile-subscriptions";
import { publisherAudit } from "./publisher-actor";
import { recordAudit } from "../audit/record-audit";

/** "Sync now": queues one manual reconciliation (a second click while it waits is a no-op). */
export async function startReconciliation(options: { actor: Actor }) {
  await db().$transaction(async (tx) => {
    await enqueue(tx, reconcileSubscriptionsJob, { trigger: "manual" });
    await recordAudit(tx, { actor: publisherAudit(options.actor), action: "reconciliation_requested" });
  });
  wakeWorkers();
}
