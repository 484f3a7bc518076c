/**
 * npm run reconcile — one reconciliation pass now: lists every subscription from Microsoft (or the
 * sandbox), records drift and fixes our copy. On the embedded database, stop the portal first (only
 * one process may open it); on PostgreSQL it can run beside the portal.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { localEnvironment } from "./env-file";

const env = localEnvironment();
for (const [key, value] of Object.entries(env)) process.env[key] ??= value;

// Against the local sandbox, Node must trust its CA, which it reads only at process start.
const sandboxCa = path.resolve(env.SANDBOX_DATA_DIR ?? ".data/sandbox", "tls", "ca.pem");
const usesSandbox =
  env.ENTRA_AUTHORITY_HOST !== undefined && !env.ENTRA_AUTHORITY_HOST.includes("login.microsoftonline.com");
if (usesSandbox && existsSync(sandboxCa) && process.env.NODE_EXTRA_CA_CERTS !== sandboxCa) {
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: sandboxCa },
  });
  process.exit(child.status ?? 1);
}

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
