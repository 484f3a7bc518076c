/**
 * Enqueuing a job inside the caller's transaction (the transactional outbox: an event is never
 * recorded without its job, or the reverse). pg-boss writes the job through the transaction's own
 * connection, so it commits or rolls back with the data it is about.
 */
import "server-only";
import type { z } from "zod";
import { databaseKind, type PrismaClient } from "../db";
import type { Prisma } from "../generated/prisma/client";
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
  const id = await boss.send(job.name, data, {
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

/**
 * The same insert as `enqueue`, as statements for a batch transaction (`db().$transaction([...])`),
 * where there is no transaction client to hand to pg-boss: its SQL is taken as pg-boss would run
 * it, and run by Prisma in the batch.
 */
export async function enqueueStatements<Schema extends z.ZodType>(
  client: PrismaClient,
  job: JobDefinition<Schema>,
  payload: z.input<Schema>,
): Promise<Prisma.PrismaPromise<unknown>[]> {
  const data = job.payload.parse(payload) as object;
  const boss = await jobEngine();
  let statement: { text: string; values: unknown[] } | undefined;
  await boss.send(job.name, data, {
    singletonKey: job.key(data as z.output<Schema>),
    db: {
      executeSql: async (text: string, values: unknown[]) => {
        statement = { text, values };
        return { rows: [] };
      },
    },
  });
  if (!statement) throw new Error(`pg-boss wrote no statement for ${job.name}`);
  return [
    client.$queryRawUnsafe(statement.text, ...bindable(statement.values)),
    ...(databaseKind() === "postgresql"
      ? [client.$executeRawUnsafe(`SELECT pg_notify('${JOBS_CHANNEL}', $1)`, job.name)]
      : []),
  ];
}
