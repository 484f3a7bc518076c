/**
 * Chooses the database: PostgreSQL when DATABASE_URL is set, else an embedded PostgreSQL
 * (PGlite) data directory so a fresh clone runs with no server. Only one process may open a
 * PGlite directory at a time.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { databaseEnv } from "../env";

export type DatabaseKind = "postgresql" | "embedded";

/** PostgreSQL extensions the migrations use: pg_trgm (the admin console's search, docs/decisions/0018). */
export const EMBEDDED_EXTENSIONS = { pg_trgm };

/** Plain SQL on the same database, outside Prisma (the job engine's maintenance runs through it). */
export interface SqlExecutor {
  /**
   * With values: one statement; without: a script (several statements, e.g. schema set-up).
   * `prepared` names a statement whose text never changes: PostgreSQL parses and plans it once per
   * connection instead of on every call (the name must always go with the same text).
   */
  executeSql(
    text: string,
    values?: unknown[],
    options?: { prepared?: string },
  ): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface DatabaseAdapter {
  kind: DatabaseKind;
  factory: SqlMigrationAwareDriverAdapterFactory;
  sql: SqlExecutor;
  /** Connection settings for a session of its own (PostgreSQL only: LISTEN needs one). */
  connection?: pg.ClientConfig;
  /** Human-readable target without credentials, for logs and the health page. */
  description: string;
  close(): Promise<void>;
}

/** pg pool options from a URL. Fields rather than `connectionString` because the schema
 * engine derives shadow-database names from them (docs/stack-notes.md, "Prisma 7 without the native schema engine"). */
export function poolConfigFromUrl(databaseUrl: string) {
  const parsed = new URL(databaseUrl);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  return {
    config: {
      host: decodeURIComponent(parsed.hostname) || "localhost",
      port: parsed.port ? Number(parsed.port) : 5432,
      user: decodeURIComponent(parsed.username) || undefined,
      password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
      database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
      max: Number(parsed.searchParams.get("connection_limit") ?? 10),
    },
    schema,
  };
}

export function describeDatabaseUrl(databaseUrl: string): string {
  const { config } = poolConfigFromUrl(databaseUrl);
  return `postgresql://${config.host}:${config.port}/${config.database}`;
}

export function createDatabaseAdapter(
  options: {
    databaseUrl?: string;
    embeddedDir?: string;
    /** PostgreSQL connections at most (default: the URL's connection_limit, else 10). */
    poolSize?: number;
  } = {},
): DatabaseAdapter {
  const env = databaseEnv();
  const databaseUrl = options.databaseUrl ?? env.DATABASE_URL;
  if (databaseUrl) {
    const { config, schema } = poolConfigFromUrl(databaseUrl);
    // We own the pool so that close() really ends its connections (and any session-level
    // advisory lock the schema engine took on them).
    const pool = new pg.Pool({ ...config, max: options.poolSize ?? config.max });
    const factory = wholeScripts(new PrismaPg(pool, schema ? { schema } : undefined), pool);
    return {
      kind: "postgresql",
      factory,
      sql: {
        executeSql: async (text, values, options) =>
          options?.prepared && values ? pool.query({ name: options.prepared, text, values }) : pool.query(text, values),
      },
      connection: config,
      description: describeDatabaseUrl(databaseUrl),
      close: () => pool.end(),
    };
  }
  const dir = path.resolve(/* turbopackIgnore: true */ options.embeddedDir ?? env.EMBEDDED_DATABASE_DIR);
  mkdirSync(path.dirname(dir), { recursive: true });
  // The extensions the migrations create (PostgreSQL servers ship them; PGlite loads them on demand).
  const pglite = new PGlite(dir, { extensions: EMBEDDED_EXTENSIONS });
  return {
    kind: "embedded",
    factory: new PrismaPGlite(pglite),
    // PGlite runs one statement or transaction at a time (a Prisma transaction in progress makes
    // these wait), so nothing here can slip into someone else's transaction.
    sql: {
      async executeSql(text, values) {
        if (values && values.length > 0) return pglite.query<Record<string, unknown>>(text, values);
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      },
    },
    description: `embedded PostgreSQL (PGlite) at ${path.relative(process.cwd(), dir) || dir}`,
    close: () => pglite.close(),
  };
}

/**
 * Prisma's pg adapter runs a migration script split on every ";" — also inside a function body
 * (`$$ … ; … $$`), which then fails. PostgreSQL takes a whole script in one simple query, as
 * `psql -f` sends it (and PGlite's adapter does): scripts go to the pool as they are.
 */
function wholeScripts(factory: PrismaPg, pool: pg.Pool): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    adapter.executeScript = async (script: string) => {
      await pool.query(script);
    };
    return adapter;
  };
  return factory;
}
