import "server-only";
import { db } from "../db";
import { listJobs, WAITING_STATES } from "../jobs/job-store";
import { reconcileSubscriptionsJob } from "../reconciliation/reconcile-subscriptions";

/** The last reconciliation runs, the drift of the selected one (default: the newest), and whether one is queued. */
export async function listReconciliationRuns(options: { runId?: string }) {
  const runs = await db().reconciliationRun.findMany({ orderBy: { startedAt: "desc" }, take: 20 });
  const selected = runs.find((run) => run.id === options.runId) ?? runs[0];
  const [drifts, queued] = await Promise.all([
    selected
      ? db().drift.findMany({ where: { runId: selected.id }, orderBy: { id: "asc" }, take: 500 })
      : Promise.resolve([]),
    listJobs({ jobs: [reconcileSubscriptionsJob], states: [...WAITING_STATES, "active"], order: "due", limit: 1 }).then(
      (rows) => rows[0],
    ),
  ]);
  return {
    runs,
    selected,
    drifts: drifts.map((drift) => ({ ...drift, id: drift.id.toString() })),
    queued: queued ? { status: queued.state === "active" ? "running" : "waiting", runAt: queued.startAfter } : null,
  };
}
