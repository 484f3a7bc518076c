/**
 * Migrations when several instances start at once on a fresh PostgreSQL database with
 * DATABASE_MIGRATE_ON_START (web instances and workers of one deployment): each applies the
 * pending migrations under one lock, so exactly one applies each migration and every instance
 * starts — instead of two running the same migration and one recording it as failed (which then
 * blocks every later start). PostgreSQL only: an embedded database belongs to one process.
 */
import { afterAll, describe, expect, it } from "vitest";
import { databaseKind } from "@/lib/db";
import { createDatabaseAdapter, type DatabaseAdapter } from "@/lib/db/adapter";
import { migratePostgres, readMigrations } from "@/lib/db/schema-engine";
import { createTestDatabase, type TestDatabase } from "@/tests/support/database";
import { makeTempDir } from "@/tests/support/temp-dirs";

const opened: Array<{ database: TestDatabase; adapters: DatabaseAdapter[] }> = [];
afterAll(async () => {
  for (const { database, adapters } of opened) {
    for (const adapter of adapters) await adapter.close().catch(() => undefined);
    await database.drop();
  }
});

describe.skipIf(databaseKind() !== "postgresql")("instances migrating one fresh database at once", () => {
  it("four at once: every migration applied once, none failed, every instance starts", async () => {
    const database = await createTestDatabase("postgresql", "migrate", {
      migrationsDir: makeTempDir("no-migrations-"),
    });
    const adapter = createDatabaseAdapter({ databaseUrl: database.env.DATABASE_URL });
    opened.push({ database, adapters: [adapter] });
    const migrations = readMigrations();

    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () =>
        migratePostgres({ databaseUrl: database.env.DATABASE_URL, migrationsList: migrations }),
      ),
    );

    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    const applied = results.flatMap((result) => (result.status === "fulfilled" ? result.value : []));
    const names = migrations.migrationDirectories.map((directory) => directory.path);
    expect(applied.sort()).toEqual([...names].sort());
    const { rows } = await adapter.sql.executeSql(
      `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations ORDER BY migration_name`,
      [],
    );
    expect(rows).toEqual(names.map((name) => ({ migration_name: name, finished: true, rolled_back: false })));
  }, 120_000);
});
