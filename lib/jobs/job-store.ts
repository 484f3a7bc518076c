/**
 * What the console and the health check read about background jobs: pg-boss's own table
 * (schema `pgboss`), read with plain SQL through Prisma. pg-boss states: created (waiting), retry
 * (waiting after a failure), active (running), completed, cancelled, failed (retries exhausted).
 */
import "server-only";
import { db, Prisma } from "../db";
import type { JobDefinition } from "./define-job";
import { JOB_SCHEMA } from "./engine";

export const jobStates = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;
export type JobState = (typeof jobStates)[number];
/** Not started yet: new, or waiting for its next attempt. */
export const WAITING_STATES: readonly JobState[] = ["created", "retry"];

export interface JobRow {
  id: string;
  name: string;
  state: JobState;
  data: Record<string, unknown>;
  /** Attempts so far (a running job counts its current one). */
  attempts: number;
  retryLimit: number;
  startAfter: Date;
  createdOn: Date;
  completedOn: Date | null;
  /** The last failure's message. */
  error: string | null;
}

interface RawJob {
  id: string;
  name: string;
  state: JobState;
  data: unknown;
  retry_count: number;
  retry_limit: number;
  start_after: Date;
  created_on: Date;
  completed_on: Date | null;
  error: string | null;
}

const table = Prisma.raw(`${JOB_SCHEMA}.job`);

function toRow(raw: RawJob): JobRow {
  const active = raw.state === "active" || raw.state === "completed" || raw.state === "failed";
  return {
    id: raw.id,
    name: raw.name,
    state: raw.state,
    data: raw.data && typeof raw.data === "object" ? (raw.data as Record<string, unknown>) : {},
    attempts: raw.retry_count + (active ? 1 : 0),
    retryLimit: raw.retry_limit,
    startAfter: raw.start_after,
    createdOn: raw.created_on,
    completedOn: raw.completed_on,
    error: raw.error,
  };
}

export interface JobFilter {
  jobs?: readonly JobDefinition[];
  states?: readonly JobState[];
  /** A field of the payload that must equal this text (e.g. subscriptionId). */
  data?: { field: string; equals: string };
}

function where(filter: JobFilter): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (filter.jobs) conditions.push(Prisma.sql`name = ANY(${filter.jobs.map((job) => job.name)})`);
  if (filter.states) conditions.push(Prisma.sql`state::text = ANY(${[...filter.states]})`);
  if (filter.data) conditions.push(Prisma.sql`data ->> ${filter.data.field} = ${filter.data.equals}`);
  return conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
}

export async function listJobs(filter: JobFilter & { order?: "newest" | "due"; limit?: number }): Promise<JobRow[]> {
  const order = filter.order === "due" ? Prisma.sql`start_after ASC` : Prisma.sql`created_on DESC`;
  const rows = await db().$queryRaw<RawJob[]>`
    SELECT id::text AS id, name, state::text AS state, data, retry_count, retry_limit, start_after, created_on, completed_on,
           COALESCE(output ->> 'message', output -> 'value' ->> 'message') AS error
    FROM ${table} ${where(filter)} ORDER BY ${order}, id LIMIT ${filter.limit ?? 50}`;
  return rows.map(toRow);
}

export async function countJobs(filter: JobFilter = {}): Promise<Record<JobState, number>> {
  const rows = await db().$queryRaw<Array<{ state: JobState; count: bigint }>>`
    SELECT state::text AS state, count(*) AS count FROM ${table} ${where(filter)} GROUP BY state`;
  const counts = Object.fromEntries(jobStates.map((state) => [state, 0])) as Record<JobState, number>;
  for (const row of rows) counts[row.state] = Number(row.count);
  return counts;
}

export async function findJob(id: string): Promise<JobRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const rows = await db().$queryRaw<RawJob[]>`
    SELECT id::text AS id, name, state::text AS state, data, retry_count, retry_limit, start_after, created_on, completed_on,
           COALESCE(output ->> 'message', output -> 'value' ->> 'message') AS error
    FROM ${table} WHERE id = ${id}::uuid`;
  return rows[0] ? toRow(rows[0]) : null;
}

/**
 * Puts a job that failed for good back in the queue with a fresh set of attempts. Conditional on
 * `failed`: false when it is not (any more) — a double submit changes nothing.
 */
export async function requeueFailedJob(
  writer: Prisma.TransactionClient,
  job: Pick<JobRow, "id" | "retryLimit" | "attempts">,
): Promise<boolean> {
  const attempts = Math.max(1, job.retryLimit + 1);
  const updated = await writer.$executeRaw`
    UPDATE ${table} SET state = 'retry', retry_limit = retry_count + ${attempts}, start_after = now(), completed_on = NULL
    WHERE id = ${job.id}::uuid AND state = 'failed'`;
  return updated === 1;
}
