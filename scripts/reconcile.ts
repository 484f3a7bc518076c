/**
 * npm run reconcile — one reconciliation pass now: lists every subscription from Microsoft (or the
 * sandbox), records drift and fixes our copy. On the embedded database, stop the portal first (only
 * one process may open it); on PostgreSQL it can run beside the portal.
 */
import { localEnvironment, relaunchTrustingSandboxCa } from "./env-file";

const env = localEnvironment();
for (const [key, value] of Object.entries(env)) process.env[key] ??= value;
relaunchTrustingSandboxCa(env);

const { databaseKind, db, disconnectDatabase, migrateDatabase } = await import("../lib/db");
const { reconcileSubscriptions } = await import("../lib/reconciliation/reconcile-subscriptions");
try {
  if (databaseKind() === "embedded") await migrateDatabase(); // as the portal does at start-up
  const run = await reconcileSubscriptions({ trigger: "cli" });
  console.log(
    `Reconciliation ${run.status}: ${run.subscriptionsSeen} subscriptions seen, ${run.driftCount} differences fixed, ${run.operationsChecked} operations re-checked.`,
  );
  for (const drift of await db().drift.findMany({ where: { runId: run.id }, orderBy: { id: "asc" } })) {
    console.log(
      `  ${drift.subscriptionId}  ${drift.field}: ${drift.localValue ?? "—"} → ${drift.remoteValue ?? "—"} (${drift.resolution})`,
    );
  }
} catch (error) {
  console.error(`Reconciliation failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await disconnectDatabase();
}
