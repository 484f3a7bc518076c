import "server-only";
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { PrismaClient } from "../generated/prisma/client";
import { logger } from "../logger";
import { onWake } from "./wake";

export interface ClaimedJob {
  id: bigint;
  type: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

export type JobHandler = (job: ClaimedJob) => Promise<void>;

export interface WorkerOptions {
  prisma: PrismaClient;
  handlers: Record<string, JobHandler>;
  /** Jobs run at the same time by this worker. */
  concurrency?: number;
  pollIntervalMs?: number;
  /** A running job whose worker died is taken over after this long. */
  lockMs?: number;
  /** Backoff before retry n (1-based): base * 2^(n-1), capped. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export interface Worker {
  id: string;
  stop(): Promise<void>;
}

/**
 * Claims jobs with `FOR UPDATE SKIP LOCKED`, so several portal instances can run workers on one
 * PostgreSQL database without taking the same job; a job whose lock expired (its process died)
 * is claimed again. Failures are retried with exponential backoff up to maxAttempts.
 */
export function startWorker(options: WorkerOptions): Worker {
  const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? 4;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const lockMs = options.lockMs ?? 60_000;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const retryMaxMs = options.retryMaxMs ?? 5 * 60_000;
  let running = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  async function claim(limit: number): Promise<ClaimedJob[]> {
    return options.prisma.$queryRaw<ClaimedJob[]>`
      UPDATE "Job" SET status = 'running', "lockedBy" = ${id}, "lockedUntil" = now() + make_interval(secs => ${lockMs / 1000}), attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM "Job"
        WHERE (status = 'pending' AND "runAt" <= now()) OR (status = 'running' AND "lockedUntil" < now())
        ORDER BY "runAt", id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, type, payload, attempts, "maxAttempts"`;
  }

  async function finish(job: ClaimedJob, error?: unknown) {
    if (!error) {
      await options.prisma.job.updateMany({
        where: { id: job.id, lockedBy: id },
        data: {
          status: "done",
          completedAt: new Date(),
          lockedBy: null,
          lockedUntil: null,
          singletonKey: null,
          lastError: null,
        },
      });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const final = job.attempts >= job.maxAttempts;
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (job.attempts - 1));
    await options.prisma.job.updateMany({
      where: { id: job.id, lockedBy: id },
      data: final
        ? {
            status: "failed",
            completedAt: new Date(),
            lockedBy: null,
            lockedUntil: null,
            singletonKey: null,
            lastError: message.slice(0, 2000),
          }
        : {
            status: "pending",
            runAt: new Date(Date.now() + delay),
            lockedBy: null,
            lockedUntil: null,
            lastError: message.slice(0, 2000),
          },
    });
    logger.warn(final ? "job failed for good" : "job failed; will retry", {
      jobId: job.id.toString(),
      type: job.type,
      attempt: job.attempts,
      error,
    });
  }

  async function run(job: ClaimedJob) {
    const handler = options.handlers[job.type];
    try {
      if (!handler) throw new Error(`No handler for job type ${job.type}`);
      await handler(job);
      await finish(job);
    } catch (error) {
      await finish(job, error).catch((finishError: unknown) =>
        logger.error("could not record job failure", { jobId: job.id.toString(), error: finishError }),
      );
    }
  }

  async function tick(): Promise<number> {
    if (stopped || running >= concurrency) return 0;
    let jobs: ClaimedJob[];
    try {
      jobs = await claim(concurrency - running);
    } catch (error) {
      logger.error("job claim failed", { error });
      return 0;
    }
    for (const job of jobs) {
      running += 1;
      const promise = run(job).finally(() => {
        running -= 1;
        inFlight.delete(promise);
        if (!stopped) schedule(0);
      });
      inFlight.add(promise);
    }
    return jobs.length;
  }

  function schedule(delay: number) {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      void tick().then((claimed) => schedule(claimed > 0 ? 0 : pollIntervalMs));
    }, delay);
  }

  const unsubscribe = onWake(() => schedule(0));
  schedule(0);

  return {
    id,
    async stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...inFlight]);
    },
  };
}
