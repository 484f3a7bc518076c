/**
 * The job engine in integration tests: the real engine (pg-boss) on the test database, with the
 * portal's job definitions. The engine itself is started once per test file by the integration
 * set-up file (before any transaction), workers by each test file as it needs them.
 */
import { startJobEngine, startJobWorkers, type RunningWorkers } from "@/lib/jobs/engine";
import { jobDefinitions } from "@/lib/jobs/registry";
import { db, Prisma } from "@/lib/db";
import type { JobDefinition } from "@/lib/jobs/define-job";
import { listJobs, type JobFilter, type JobState } from "@/lib/jobs/job-store";
import { alertJobDeadLettered } from "@/lib/notifications/alert-job-dead-lettered";

export const startTestJobEngine = () => startJobEngine(jobDefinitions);

/** Workers for every job, polling fast, reporting jobs that fail for good as the portal does. */
export function startJobs(): Promise<RunningWorkers> {
  return startJobWorkers(jobDefinitions, { pollingIntervalSeconds: 0.5, onFailedForGood: alertJobDeadLettered });
}

export const jobsOf = (job: JobDefinition, filter: Omit<JobFilter, "jobs"> = {}) =>
  listJobs({ jobs: [job], ...filter, limit: 500 });

/**
 * Discards the jobs earlier test files left waiting (a follow-up booked for later, a retry), before
 * this file starts its workers: run by them, they would sync those files' subscriptions and emit
 * events to the endpoints this file creates. Files run one after another on one database.
 */
export function discardLeftoverJobs() {
  return db().$executeRaw`DELETE FROM pgboss.job WHERE state IN ('created', 'retry')`;
}

/** Deletes jobs as if they had been lost (a crash before they were written, an old deployment). */
export async function deleteJobs(
  job: JobDefinition,
  filter: { states?: JobState[]; data?: { field: string; equals: string } } = {},
) {
  const conditions = [Prisma.sql`name = ${job.name}`];
  if (filter.states) conditions.push(Prisma.sql`state::text = ANY(${filter.states})`);
  if (filter.data) conditions.push(Prisma.sql`data ->> ${filter.data.field} = ${filter.data.equals}`);
  return db().$executeRaw`DELETE FROM pgboss.job WHERE ${Prisma.join(conditions, " AND ")}`;
}

/** A job as a worker that died mid-run leaves it: active, started long ago (its expiry has passed). */
export async function leaveJobAsIfItsWorkerDied(jobId: string) {
  await db()
    .$executeRaw`UPDATE pgboss.job SET state = 'active', started_on = now() - interval '1 day' WHERE id = ${jobId}::uuid`;
}

/** A job that exhausted its retries, as the engine leaves it. */
export async function failJobForGood(jobId: string, message: string) {
  await db().$executeRaw`
    UPDATE pgboss.job SET state = 'failed', retry_count = retry_limit, completed_on = now(), started_on = now(),
      output = jsonb_build_object('message', ${message}::text)
    WHERE id = ${jobId}::uuid`;
}
