/**
 * Enqueuing a job inside the caller's transaction (the transactional outbox: an event is never
 * recorded without its job, or the reverse). pg-boss writes the job through the transaction's own
 * connection, so it commits or rolls back with the data it is about.
 */
import "server-only";
import { createHash } from "node:crypto";
import type { z } from "zod";
import { databaseKind, databaseSql, type PrismaClient } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { withJobTraceContext } from "../telemetry/job-trace-context";
import type { JobDefinition } from "./define-job";
import { JOB_SCHEMA, JOBS_CHANNEL, jobEngine } from "./engine";

/** A Prisma transaction, or the client itself outside one. */
export type JobWriter = Prisma.TransactionClient | PrismaClient;

export interface EnqueueOptions {
  /** Not before this instant (default: now). */
  startAfter?: Date;
  /** When a job with the same key already waits and starts later, bring it forward to `startAfter`. */
  moveEarlier?: boolean;
}

/** pg-boss's parameters, as Prisma binds them: JSON as text, undefined as NULL. */
function bindable(values: unknown[]): unknown[] {
  return values.map((value) => {
    if (value === undefined) return null;
    if (value !== null && typeof value === "object" && !(value instanceof Date)) return JSON.stringify(value);
    return value;
  });
}

function executorFor(writer: JobWriter) {
  return {
    executeSql: async (text: string, values: unknown[] = []) => ({
      rows: await writer.$queryRawUnsafe<Record<string, unknown>[]>(text, ...bindable(values)),
    }),
  };
}

/**
 * Adds a job; `null` when one with the same key already waits (see JobDefinition.key). The payload
 * is checked against the definition here too, so a producer cannot write a job its worker refuses.
 * Call `wakeWorkers()` after the commit so this process starts it at once; on PostgreSQL every
 * instance is told at commit (NOTIFY).
 */
export async function enqueue<Schema extends z.ZodType>(
  writer: JobWriter,
  job: JobDefinition<Schema>,
  payload: z.input<Schema>,
  options: EnqueueOptions = {},
): Promise<string | null> {
  const data = job.payload.parse(payload) as object;
  const key = job.key(data as z.output<Schema>);
  const boss = await jobEngine();
  // The enqueuing span's trace context rides along (its job's span links to it); nothing when telemetry is off.
  const id = await boss.send(job.name, withJobTraceContext(data), {
    singletonKey: key,
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    db: executorFor(writer),
  });
  if (id === null && options.moveEarlier && options.startAfter) {
    await writer.$executeRawUnsafe(
      `UPDATE ${JOB_SCHEMA}.job SET start_after = $1 WHERE name = $2 AND singleton_key = $3 AND state = 'created' AND start_after > $1`,
      options.startAfter,
      job.name,
      key,
    );
  }
  if (databaseKind() === "postgresql")
    await writer.$executeRawUnsafe(`SELECT pg_notify('${JOBS_CHANNEL}', $1)`, job.name);
  return id;
}

interface CombinedStatement {
  text: string;
  /** Its prepared statement's name, derived from the text (so one name never stands for two texts). */
  name: string;
}

/** Combined statements by pg-boss's insert, then the caller's statement, then the shape of the values. */
const combinedStatements = new Map<string, Map<string, Map<string, CombinedStatement>>>();

/**
 * pg-boss's insert and the caller's statement in one WITH, built once for each pair: both texts
 * are fixed (only the values change), so this is the same text on every call.
 */
function combinedStatement(insert: string, statement: string, offset: number, count: number): CombinedStatement {
  const notify = databaseKind() === "postgresql";
  let byStatement = combinedStatements.get(insert);
  if (!byStatement) combinedStatements.set(insert, (byStatement = new Map<string, Map<string, CombinedStatement>>()));
  let byShape = byStatement.get(statement);
  if (!byShape) byStatement.set(statement, (byShape = new Map<string, CombinedStatement>()));
  const shape = `${offset}/${count}/${notify}`;
  let combined = byShape.get(shape);
  if (!combined) {
    const shifted = statement.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    const text = `WITH job AS (${insert}), written AS (${shifted}) SELECT written.*${
      notify ? `, pg_notify('${JOBS_CHANNEL}', $${offset + count + 1}) AS notified` : ""
    } FROM written`;
    combined = { text, name: `portal_${createHash("sha256").update(text).digest("hex").slice(0, 32)}` };
    byShape.set(shape, combined);
  }
  return combined;
}

/**
 * One statement that writes a row and enqueues its job: the transactional outbox in a single round
 * trip (a statement is atomic: both rows or neither). For the hottest path, Microsoft's webhook,
 * where a transaction's BEGIN, statements and COMMIT were most of the time before the 200.
 *
 * `statement` is one data-modifying statement with RETURNING (its placeholders $1, $2, …), run on
 * the portal's connections directly (SqlExecutor). pg-boss's own insert is taken as it would run it
 * and placed before it in a WITH; on PostgreSQL every instance is notified at commit. Returns the
 * statement's rows; a constraint violation fails the whole statement (nothing written).
 */
export async function writeWithJob<Schema extends z.ZodType>(
  statement: { text: string; values: unknown[] },
  job: JobDefinition<Schema>,
  payload: z.input<Schema>,
): Promise<Record<string, unknown>[]> {
  const data = job.payload.parse(payload) as object;
  const boss = await jobEngine();
  let insert: { text: string; values: unknown[] } | undefined;
  await boss.send(job.name, withJobTraceContext(data), {
    singletonKey: job.key(data as z.output<Schema>),
    db: {
      executeSql: async (text: string, values: unknown[]) => {
        insert = { text, values };
        return { rows: [] };
      },
    },
  });
  if (!insert) throw new Error(`pg-boss wrote no statement for ${job.name}`);
  const combined = combinedStatement(insert.text, statement.text, insert.values.length, statement.values.length);
  const notify = databaseKind() === "postgresql";
  const values = [...bindable(insert.values), ...statement.values, ...(notify ? [job.name] : [])];
  // The text is the same on every call for one statement and job (pg-boss's insert is fixed, the
  // values vary): a prepared statement, parsed and planned once per connection.
  return (await databaseSql().executeSql(combined.text, values, { prepared: combined.name })).rows;
}
