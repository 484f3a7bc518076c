import "server-only";
import { databaseDescription, databaseKind, migrateDatabase } from "./db";
import { databaseEnv, validateEnv } from "./env";
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
    const applied = await migrateDatabase();
    if (applied.length > 0) logger.info("database migrations applied", { database: databaseDescription(), applied });
  }
  logger.info("portal started", { database: databaseDescription() });
}
