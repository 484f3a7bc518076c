import "server-only";
import { databaseDescription, databaseKind, db, migrateDatabase } from "./db";
import { databaseEnv, validateEnv, webhookEnv } from "./env";
import { logger } from "./logger";

export async function startPortal() {
  try {
    validateEnv();
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
  if (webhookEnv().WORKERS_ENABLED) {
    const { startWorker } = await import("./jobs/worker");
    const { jobHandlers, scheduleReconciliation, scheduleUsageSubmission } = await import("./jobs/handlers");
    const worker = startWorker({ prisma: db(), handlers: jobHandlers, pollIntervalMs: 1000 });
    await scheduleReconciliation();
    await scheduleUsageSubmission();
    const stop = () => void worker.stop();
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    logger.info("background worker started", { worker: worker.id });
  }
  logger.info("portal started", { database: databaseDescription() });
}
