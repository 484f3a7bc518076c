/**
 * Migrations through Prisma's WebAssembly schema engine (@prisma/schema-engine-wasm) and a
 * driver adapter, so no native engine binary has to be downloaded. The `_prisma_migrations`
 * table it writes is the CLI's, so `prisma migrate deploy` can run on the same folder where
 * the native engine is available.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { createDatabaseAdapter } from "./adapter";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";

type WasmBindings = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
type SchemaEngine = Awaited<ReturnType<WasmBindings["SchemaEngine"]["new"]>>;
type MigrationList = Parameters<SchemaEngine["applyMigrations"]>[0]["migrationsList"];

export const filters = { externalTables: [], externalEnums: [] };

let bindings: Promise<WasmBindings> | undefined;

async function loadBindings(): Promise<WasmBindings> {
  // Node 20 cannot import .wasm modules; instantiate by hand as wasm-bindgen's loader would.
  const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  // The .wasm is not in the package's exports: find it next to the JS glue.
  const gluePath = createRequire(path.resolve("package.json")).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = path.join(path.dirname(gluePath), "schema_engine_bg.wasm");
  const { instance } = await WebAssembly.instantiate(readFileSync(/* turbopackIgnore: true */ wasmPath), {
    "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg;
}

export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schemaPath = "prisma/schema.prisma",
): Promise<SchemaEngine> {
  bindings ??= loadBindings();
  const bg = await bindings;
  const datamodel = readFileSync(/* turbopackIgnore: true */ schemaPath, "utf8");
  return bg.SchemaEngine.new(
    { datamodels: [[path.basename(schemaPath), datamodel]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
}

export function readMigrations(baseDir = path.resolve("prisma/migrations")): MigrationList {
  const directories = existsSync(/* turbopackIgnore: true */ baseDir)
    ? readdirSync(/* turbopackIgnore: true */ baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: 'provider = "postgresql"' },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: {
          tag: "ok" as const,
          value: readFileSync(/* turbopackIgnore: true */ path.join(baseDir, name, "migration.sql"), "utf8"),
        },
      },
    })),
  };
}

/** Applies every pending migration (idempotent). Returns the names applied now. */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  migrationsList: MigrationList = readMigrations(),
): Promise<string[]> {
  const engine = await openSchemaEngine(factory);
  try {
    const result = await engine.applyMigrations({ migrationsList, filters });
    return result.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** Our own lock around a whole migration run (Prisma's engine takes 72707369 inside it). */
const MIGRATION_LOCK = 72707370;

/**
 * Applies every pending migration to a PostgreSQL database (DATABASE_URL by default), one process
 * at a time: what start-up (DATABASE_MIGRATE_ON_START) and `npm run db:migrate` run, so instances
 * starting together on a fresh database, or a deploy step beside them, are safe. The engine gets a
 * pool of one connection, so the session lock it takes is released on the session that took it
 * (through a larger pool it lingered on one connection and the next instance timed out after
 * 10 s); the run waits for our own lock, on a session of its own, as long as another migrates,
 * and then finds nothing left to do.
 */
export async function migratePostgres(
  options: { databaseUrl?: string; migrationsList?: MigrationList } = {},
): Promise<string[]> {
  const adapter = createDatabaseAdapter({ databaseUrl: options.databaseUrl, poolSize: 1 });
  if (adapter.kind !== "postgresql" || !adapter.connection) {
    await adapter.close();
    throw new Error("migratePostgres needs a PostgreSQL database (DATABASE_URL).");
  }
  const session = new pg.Client(adapter.connection);
  try {
    await session.connect();
    await session.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    return await applyMigrations(adapter.factory, options.migrationsList ?? readMigrations());
  } finally {
    // Ending the session releases our lock, also when unlocking is never reached.
    await session.end().catch(() => undefined);
    await adapter.close();
  }
}
