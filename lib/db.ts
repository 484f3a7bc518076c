/**
 * The Prisma client: one lazy singleton per process, cached on globalThis so Next's dev
 * reloads do not open the embedded database twice.
 */
import "server-only";
import { PrismaClient } from "./generated/prisma/client";
import { createDatabaseAdapter, type DatabaseAdapter } from "./db/adapter";

interface DatabaseState {
  adapter: DatabaseAdapter;
  prisma: PrismaClient;
  migrated?: Promise<string[]>;
}

const globalForDb = globalThis as typeof globalThis & { __portalDatabase?: DatabaseState };

function state(): DatabaseState {
  if (!globalForDb.__portalDatabase) {
    const adapter = createDatabaseAdapter();
    globalForDb.__portalDatabase = {
      adapter,
      // searchText is the database's, for the console's search only (docs/decisions/0018): not in every read.
      prisma: new PrismaClient({ adapter: adapter.factory, omit: { subscription: { searchText: true } } }),
    };
  }
  return globalForDb.__portalDatabase;
}

export function db(): PrismaClient {
  return state().prisma;
}

/** Plain SQL on the portal's database, beside Prisma (see SqlExecutor). */
export function databaseSql() {
  return state().adapter.sql;
}

/** Settings for a dedicated PostgreSQL session (LISTEN); undefined on the embedded database. */
export function databaseConnection() {
  return state().adapter.connection;
}

export function databaseKind() {
  return state().adapter.kind;
}

export function databaseDescription() {
  return state().adapter.description;
}

/**
 * Applies pending migrations once per process (used at start-up on the embedded default), one
 * instance at a time on PostgreSQL (lib/db/schema-engine.ts).
 */
export function migrateDatabase(): Promise<string[]> {
  const current = state();
  // Loaded on demand: only start-up needs the schema engine (a 10 MB WebAssembly module).
  current.migrated ??= import("./db/schema-engine").then(({ applyMigrations, migratePostgres }) =>
    current.adapter.kind === "postgresql" ? migratePostgres() : applyMigrations(current.adapter.factory),
  );
  return current.migrated;
}

const BEFORE_DISCONNECT = Symbol.for("marketplace-portal.db.beforeDisconnect");
const hooks = globalThis as typeof globalThis & { [BEFORE_DISCONNECT]?: Set<() => Promise<void>> };

/** Runs before the connections close (the job engine stops first: it uses them). */
export function beforeDisconnect(hook: () => Promise<void>): () => void {
  const set = (hooks[BEFORE_DISCONNECT] ??= new Set<() => Promise<void>>());
  set.add(hook);
  return () => set.delete(hook);
}

export async function disconnectDatabase() {
  const current = globalForDb.__portalDatabase;
  if (!current) return;
  for (const hook of [...(hooks[BEFORE_DISCONNECT] ?? [])]) await hook();
  globalForDb.__portalDatabase = undefined;
  await current.prisma.$disconnect();
  await current.adapter.close();
}

export type { PrismaClient };
export { Prisma } from "./generated/prisma/client";

export { isSerializationFailure, isUniqueViolation } from "./db/database-errors";
