import "server-only";
import { databaseDescription, databaseKind, migrateDatabase } from "./db";
import { loadCatalog } from "./catalog/load-catalog";
import { databaseEnv, jobsEnv, validateEnv } from "./env";
import { handoffKeys } from "./handoff/signing-keys";
import { logger } from "./logger";

export async function startPortal() {
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
    console.error(`\n[portal] cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const migrateOnStart = databaseEnv().DATABASE_MIGRATE_ON_START ?? databaseKind() === "embedded";
  if (migrateOnStart) {
    try {
      const applied = await migrateDatabase();
      if (applied.length > 0) logger.info("database migrations applied", { database: databaseDescription(), applied });
    } catch (error) {
      // A portal on an unmigrated database would fail on every request: stop instead.
      console.error(
        `\n[portal] cannot start: migrating ${databaseDescription()} failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    }
  }
  // Every instance starts the job engine (queues exist before anything enqueues); workers,
  // schedules and the engine's maintenance run where WORKERS_ENABLED.
  const { startJobEngine, startJobWorkers, stopJobEngine } = await import("./jobs/engine");
  const { jobDefinitions } = await import("./jobs/registry");
  const workersEnabled = jobsEnv().WORKERS_ENABLED;
  await startJobEngine(jobDefinitions, { maintenance: workersEnabled });
  if (workersEnabled) {
    const { drainLegacyJobs } = await import("./jobs/drain-legacy-jobs");
    await drainLegacyJobs(jobDefinitions);
    await startJobWorkers(jobDefinitions);
    logger.info("background workers started", { jobs: jobDefinitions.length });
  }
  const stop = () => void stopJobEngine();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  logger.info("portal started", { database: databaseDescription() });
}
