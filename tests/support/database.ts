/**
 * Throw-away databases for tests: a uniquely named database on the PostgreSQL server
 * (TEST_DATABASE_SERVER_URL, default postgresql://postgres@127.0.0.1:5432/postgres), or a fresh
 * embedded PGlite directory. Migrations are applied with the same code as `npm run db:migrate`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabaseAdapter, type DatabaseAdapter } from "../../lib/db/adapter";
import { applyMigrations, readMigrations } from "../../lib/db/schema-engine";

export interface TestDatabase {
  kind: "postgresql" | "embedded";
  /** Environment the code under test needs (DATABASE_URL or EMBEDDED_DATABASE_DIR). */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export function serverUrl() {
  return process.env.TEST_DATABASE_SERVER_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export async function createTestDatabase(
  kind: "postgresql" | "embedded",
  label = "test",
  /** Another migrations folder, e.g. only those before a migration under test. */
  options: { migrationsDir?: string } = {},
): Promise<TestDatabase> {
  const migrations = readMigrations(options.migrationsDir);
  if (kind === "embedded") {
    const dir = mkdtempSync(path.join(os.tmpdir(), `portal-${label}-pglite-`));
    const drop = async () => rmSync(dir, { recursive: true, force: true });
    await migrateOrDrop(createDatabaseAdapter({ embeddedDir: dir }), drop, migrations);
    return { kind, env: { EMBEDDED_DATABASE_DIR: dir }, drop };
  }
  const name = `portal_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const drop = async () => {
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.end();
  };
  await migrateOrDrop(createDatabaseAdapter({ databaseUrl }), drop, migrations);
  return { kind, env: { DATABASE_URL: databaseUrl }, drop };
}

/** A database whose migrations failed is dropped at once: nobody would drop it later. */
async function migrateOrDrop(
  adapter: DatabaseAdapter,
  drop: () => Promise<void>,
  migrations: ReturnType<typeof readMigrations>,
) {
  try {
    await applyMigrations(adapter.factory, migrations);
  } catch (error) {
    await adapter.close().catch(() => {});
    await drop();
    throw error;
  }
  await adapter.close();
}
