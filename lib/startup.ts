import "server-only";
import { databaseDescription, databaseKind, disconnectDatabase, migrateDatabase } from "./db";
import { loadCatalog } from "./catalog/load-catalog";
import { reportCredentialAtStart } from "./admin/report-credential-at-start";
import { databaseEnv, jobsEnv, marketplaceEnv, telemetryEnv, validateEnv } from "./env";
import { handoffKeys } from "./handoff/signing-keys";
import { logger } from "./logger";
import { telemetry as metrics } from "./telemetry/telemetry";

/** Stops the boot with a message naming what is wrong (a process that cannot serve must not pretend to). */
function cannotStart(reason: string): never {
  console.error(`\n[portal] cannot start: ${reason}\n`);
  process.exit(1);
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Telemetry = typeof import("./telemetry/start-telemetry");

/**
 * What every portal process checks and prepares first: configuration, catalog, keys, telemetry,
 * the fulfillment app's credential, migrations. Returns the telemetry SDK when it is on.
 */
async function prepare(): Promise<Telemetry | undefined> {
  try {
    validateEnv();
    // The hand-off's keys: from HANDOFF_SIGNING_KEYS, or generated once into HANDOFF_KEY_FILE (sandbox).
    logger.info("product hand-off keys loaded", {
      source: handoffKeys().source,
      kids: handoffKeys().jwks.keys.map((key) => key.kid),
    });
    // A catalog with a wrong field stops the boot too, naming the field.
    loadCatalog();
  } catch (error) {
    cannotStart(message(error));
  }
  // OpenTelemetry only when configured: otherwise its SDK is never loaded (docs/decisions/0017).
  const sdk = telemetryEnv().enabled ? await import("./telemetry/start-telemetry") : undefined;
  sdk?.startTelemetry(telemetryEnv());
  // Which credential the fulfillment app uses, and a warning or an error when it expires soon or has expired.
  await reportCredentialAtStart(marketplaceEnv().credential);
  const migrateOnStart = databaseEnv().DATABASE_MIGRATE_ON_START ?? databaseKind() === "embedded";
  if (migrateOnStart) {
    try {
      const applied = await migrateDatabase();
      if (applied.length > 0) logger.info("database migrations applied", { database: databaseDescription(), applied });
    } catch (error) {
      // A portal on an unmigrated database would fail on every request: stop instead.
      cannotStart(`migrating ${databaseDescription()} failed: ${message(error)}`);
    }
  }
  return sdk;
}

/** Runs the workers, the schedules and the engine's upkeep in this process. */
async function startWorkers(sdk: Telemetry | undefined) {
  const { startJobEngine, startJobWorkers } = await import("./jobs/engine");
  const { jobDefinitions } = await import("./jobs/registry");
  await startJobEngine(jobDefinitions, { maintenance: true });
  const { drainLegacyJobs } = await import("./jobs/drain-legacy-jobs");
  await drainLegacyJobs(jobDefinitions);
  // A job failed for good (dead-lettered) alerts the publisher's team (see README "Notifications").
  const { alertJobDeadLettered } = await import("./notifications/alert-job-dead-lettered");
  await startJobWorkers(jobDefinitions, { onFailedForGood: alertJobDeadLettered });
  logger.info("background workers started", { jobs: jobDefinitions.length });
  // The queue's depth and age, read when metrics are collected (the same on every worker instance).
  if (sdk) {
    const { readQueueStats } = await import("./jobs/read-queue-stats");
    metrics.observeJobQueues(() => readQueueStats(jobDefinitions));
  }
}

/**
 * A web instance (Next.js's instrumentation.ts): it serves pages and APIs, and runs the job
 * workers too unless WORKERS_ENABLED=false (web-only instances beside dedicated workers).
 */
export async function startPortal() {
  const sdk = await prepare();
  // Every instance starts the job engine (queues exist before anything enqueues).
  const { startJobEngine, stopJobEngine } = await import("./jobs/engine");
  const { jobDefinitions } = await import("./jobs/registry");
  if (jobsEnv().WORKERS_ENABLED) await startWorkers(sdk);
  else await startJobEngine(jobDefinitions, { maintenance: false });
  const stop = () => void Promise.allSettled([stopJobEngine(), sdk?.stopTelemetry()]);
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  logger.info("portal started", { database: databaseDescription(), workers: jobsEnv().WORKERS_ENABLED });
}

/**
 * A dedicated worker process (`npm run worker`, or `node worker.js` in the standalone artefact):
 * the same start-up and jobs as a web instance, no HTTP. It needs PostgreSQL — an embedded
 * database belongs to the one process that opened it, where the workers already run. On SIGTERM
 * or SIGINT it stops taking jobs, lets running ones finish (pg-boss's grace period) and exits.
 */
export async function startWorker() {
  if (databaseKind() === "embedded")
    cannotStart(
      "a separate worker process needs PostgreSQL (DATABASE_URL). On the embedded database the workers run inside the portal (npm run dev / npm start).",
    );
  if (!jobsEnv().WORKERS_ENABLED)
    cannotStart("WORKERS_ENABLED=false: a worker process with its workers switched off would do nothing.");
  const sdk = await prepare();
  await startWorkers(sdk);
  const { stopJobEngine } = await import("./jobs/engine");
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("worker stopping", { signal });
    void stopJobEngine()
      .then(() => Promise.allSettled([disconnectDatabase(), sdk?.stopTelemetry()]))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error("worker did not stop cleanly", { error });
          process.exit(1);
        },
      );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  logger.info("worker started", { database: databaseDescription() });
}
