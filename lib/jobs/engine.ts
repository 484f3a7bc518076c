/**
 * The job engine: pg-boss (docs/decisions/0004), keeping its jobs in the portal's own database
 * (schema `pgboss`) and talking to it through the same connections as Prisma — the PostgreSQL pool,
 * or the one embedded PGlite connection. One engine per process, on globalThis: Next.js bundles
 * instrumentation (where the workers run), route handlers and server actions separately, and they
 * must all enqueue into the same engine.
 *
 * Every process starts the engine (it installs the schema and creates the queues, so producers on
 * web-only instances can enqueue); worker processes also run workers, the schedules and pg-boss's
 * maintenance (expiring dead jobs, archiving and deleting old ones).
 */
import "server-only";
import PgBoss from "pg-boss";
import pg from "pg";
import {
  beforeDisconnect,
  databaseConnection,
  databaseKind,
  databaseSql,
  isSerializationFailure,
  isUniqueViolation,
} from "../db";
import { jobsEnv } from "../env";
import { logger } from "../logger";
import { splitJobData } from "../telemetry/job-trace-context";
import { SpanKind, telemetry, withSpan } from "../telemetry/telemetry";
import type { JobDefinition } from "./define-job";
import { onWake } from "./wake";

export const JOB_SCHEMA = "pgboss";
/** PostgreSQL channel an enqueue notifies (at commit): every instance's workers look at once. */
export const JOBS_CHANNEL = "portal_jobs";

interface EngineState {
  boss: PgBoss;
  started: Promise<void>;
  workers?: RunningWorkers;
}

export interface RunningWorkers {
  stop(): Promise<void>;
}

const KEY = Symbol.for("marketplace-portal.jobs.engine");
const holder = globalThis as typeof globalThis & { [KEY]?: EngineState };

/**
 * Starts the engine once per process (schema, queues for every definition) and returns it.
 * Must be called before any transaction that enqueues: on the embedded database a first start
 * inside an open transaction would wait for that transaction forever.
 */
export async function startJobEngine(
  definitions: readonly JobDefinition[],
  options: { maintenance?: boolean } = {},
): Promise<PgBoss> {
  if (!holder[KEY]) {
    const env = jobsEnv();
    const sql = databaseSql();
    const boss = new PgBoss({
      db: { executeSql: async (text, values) => sql.executeSql(text, values) },
      schema: JOB_SCHEMA,
      migrate: true,
      supervise: options.maintenance ?? true,
      schedule: options.maintenance ?? true,
      // Completed jobs leave the queue after a day and are deleted after JOB_RETENTION_DAYS; failed
      // ones stay in the queue (visible and retryable in the console) for JOB_FAILED_RETENTION_DAYS.
      archiveCompletedAfterSeconds: 24 * 3600,
      archiveFailedAfterSeconds: env.JOB_FAILED_RETENTION_DAYS * 86_400,
      deleteAfterDays: env.JOB_RETENTION_DAYS,
      maintenanceIntervalSeconds: env.JOB_MAINTENANCE_INTERVAL_SECONDS,
    });
    boss.on("error", (error) => logger.error("job engine error", { error }));
    const started = (async () => {
      await boss.start();
      for (const definition of definitions) await ensureQueue(boss, definition);
    })();
    holder[KEY] = { boss, started };
    const release = beforeDisconnect(async () => {
      release();
      await stopJobEngine();
    });
  }
  const state = holder[KEY];
  await state.started;
  return state.boss;
}

/** The started engine; throws when startJobEngine has not run in this process. */
export async function jobEngine(): Promise<PgBoss> {
  const state = holder[KEY];
  if (!state) throw new Error("The job engine is not started in this process (call startJobEngine at start-up).");
  await state.started;
  return state.boss;
}

/**
 * Creates or updates a definition's queue. Instances that start at the same moment on one fresh
 * database create the same queues at once, and pg-boss's createQueue (a partition and its
 * indexes per queue) then deadlocks (40P01) or collides on the queue's name (23505): the loser
 * reads the queue again and goes on, instead of failing its start-up.
 */
export async function ensureQueue(boss: PgBoss, definition: JobDefinition, attempts = 6): Promise<void> {
  const queue: PgBoss.Queue = {
    name: definition.name,
    // One waiting and one running job per key (JobDefinition.key).
    policy: "stately",
    retryLimit: definition.retry.limit,
    retryDelay: definition.retry.delaySeconds,
    retryBackoff: definition.retry.backoff,
    expireInSeconds: definition.expireInSeconds,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      if (await boss.getQueue(definition.name)) await boss.updateQueue(definition.name, queue);
      else await boss.createQueue(definition.name, queue);
      return;
    } catch (error) {
      if (attempt >= attempts || !(isSerializationFailure(error) || isUniqueViolation(error))) throw error;
      logger.info("job queue set-up lost a race with another instance; trying again", {
        queue: definition.name,
        attempt,
      });
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}

/** A job that failed for good: its retries ran out (it stays in the console's failed list). */
export interface FailedForGood {
  job: string;
  jobId: string;
  attempts: number;
  reason: string;
}

/**
 * Runs workers for every definition in this process, and the schedules. A job's payload is parsed
 * with its definition's schema first: one that does not fit fails with the reason (and is retried
 * only as its policy says), instead of running on bad data.
 */
export async function startJobWorkers(
  definitions: readonly JobDefinition[],
  options: {
    pollingIntervalSeconds?: number;
    /** Told of each job that failed for good (the publisher's alert, lib/notifications); its own failure is logged. */
    onFailedForGood?: (failure: FailedForGood) => Promise<void>;
  } = {},
): Promise<RunningWorkers> {
  const boss = await startJobEngine(definitions);
  const state = holder[KEY]!;
  if (state.workers) return state.workers;
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? jobsEnv().JOB_POLL_INTERVAL_SECONDS;
  const workerIds: string[] = [];
  // pg-boss's offWork stops fetching but lets a running job go on: stop() waits for these.
  const inFlight = new Set<Promise<void>>();
  for (const definition of definitions) {
    for (let n = 0; n < (definition.concurrency ?? 1); n += 1) {
      let workerId: string | undefined;
      // eslint-disable-next-line prefer-const -- declared first: the callback may run before work() returns the id
      workerId = await boss.work(definition.name, { pollingIntervalSeconds, includeMetadata: true }, async ([job]) => {
        if (!job) return;
        const running = runJob(definition, job, options.onFailedForGood);
        inFlight.add(running);
        try {
          await running;
        } finally {
          inFlight.delete(running);
          // pg-boss waits out the polling interval even after finding a job; with one job per
          // fetch, a backlog would drain one job per interval. There may be more: look again now.
          if (workerId) boss.notifyWorker(workerId);
        }
      });
      workerIds.push(workerId);
    }
  }
  for (const definition of definitions) {
    const schedule = definition.schedule?.();
    if (schedule) {
      const payload = definition.payload.parse(schedule.payload);
      await boss.schedule(definition.name, schedule.cron, payload as object, {
        tz: "UTC",
        singletonKey: definition.key(payload),
      });
    } else if (definition.schedule) {
      await boss.unschedule(definition.name);
    }
  }
  const wake = () => {
    for (const id of workerIds) boss.notifyWorker(id);
  };
  const stopWake = onWake(wake);
  const listener = databaseKind() === "postgresql" ? await listenForJobs(wake) : undefined;
  const workers: RunningWorkers = {
    async stop() {
      stopWake();
      await listener?.close();
      await Promise.all(workerIds.map((id) => boss.offWork({ id })));
      await Promise.allSettled([...inFlight]);
      state.workers = undefined;
    },
  };
  state.workers = workers;
  return workers;
}

/**
 * One run of a job, as a span (`job <name>`, a trace of its own, linked to the span that enqueued
 * it when its data carries one: lib/telemetry/job-trace-context.ts) and in the `portal.job.duration`
 * metric, with its outcome: completed, retrying, failed (for good) or invalid_payload.
 */
function runJob(
  definition: JobDefinition,
  job: PgBoss.JobWithMetadata<unknown>,
  onFailedForGood?: (failure: FailedForGood) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const attempt = job.retryCount + 1;
  const { payload, links } = splitJobData(job.data);
  return withSpan(
    `job ${definition.name}`,
    {
      kind: SpanKind.CONSUMER,
      // A job is its own trace, whatever request's context pg-boss's timer happened to carry.
      root: true,
      links,
      attributes: { "job.name": definition.name, "job.id": job.id, "job.attempt": attempt },
    },
    async (span) => {
      let outcome = "completed";
      try {
        await runJobOnce(definition, job, payload, onFailedForGood);
      } catch (error) {
        outcome =
          (error as Error | null)?.name === INVALID_PAYLOAD
            ? "invalid_payload"
            : job.retryCount >= job.retryLimit
              ? "failed"
              : "retrying";
        throw error;
      } finally {
        span.setAttribute("job.outcome", outcome);
        telemetry.jobRun({ name: definition.name, durationMs: performance.now() - started, outcome });
      }
    },
  );
}

const INVALID_PAYLOAD = "InvalidJobPayload";

async function runJobOnce(
  definition: JobDefinition,
  job: PgBoss.JobWithMetadata<unknown>,
  payload: unknown,
  onFailedForGood?: (failure: FailedForGood) => Promise<void>,
): Promise<void> {
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`)
      .join("; ");
    logger.warn("job payload does not match its definition", { jobId: job.id, name: definition.name, reason });
    // It will never fit: no retries, straight to the failed list (with the reason) for a human.
    await databaseSql().executeSql(`UPDATE ${JOB_SCHEMA}.job SET retry_limit = retry_count WHERE id = $1`, [job.id]);
    throw Object.assign(new Error(`Payload does not match the job definition: ${reason}`), { name: INVALID_PAYLOAD });
  }
  try {
    await definition.run(parsed.data, { id: job.id, retryCount: job.retryCount });
  } catch (error) {
    const final = job.retryCount >= job.retryLimit;
    logger.warn(final ? "job failed for good" : "job failed; will retry", {
      jobId: job.id,
      name: definition.name,
      attempt: job.retryCount + 1,
      error,
    });
    if (final && onFailedForGood)
      await onFailedForGood({
        job: definition.name,
        jobId: job.id,
        attempts: job.retryCount + 1,
        reason: error instanceof Error ? error.message : String(error),
      }).catch((alertError: unknown) =>
        logger.error("could not report a job that failed for good", { jobId: job.id, error: alertError }),
      );
    throw error;
  }
}

/**
 * A session of its own listening on JOBS_CHANNEL: a job committed on another instance wakes this
 * one's workers at once instead of at their next poll. Reconnects after a lost connection.
 */
async function listenForJobs(wake: () => void): Promise<{ close(): Promise<void> }> {
  let closed = false;
  let client: pg.Client | undefined;
  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client(databaseConnection());
    next.on("notification", () => wake());
    next.on("error", (error) => {
      logger.warn("job notifications lost; reconnecting", { error });
      void next.end().catch(() => undefined);
      setTimeout(() => void connect().catch(() => undefined), 1000);
    });
    await next.connect();
    await next.query(`LISTEN ${JOBS_CHANNEL}`);
    client = next;
  };
  await connect();
  return {
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}

/** Stops workers and the engine (tests, shutdown). */
export async function stopJobEngine(): Promise<void> {
  const state = holder[KEY];
  if (!state) return;
  await state.workers?.stop();
  holder[KEY] = undefined;
  await state.boss.stop({ graceful: true, timeout: 5000, close: false, wait: true });
}
