import "server-only";
import type { Prisma, PrismaClient } from "../generated/prisma/client";

export interface JobRequest {
  type: string;
  payload: Prisma.InputJsonValue;
  runAt?: Date;
  maxAttempts?: number;
  /** At most one pending/running job with this key; a second enqueue is a no-op. */
  singletonKey?: string;
}

/**
 * Adds a job inside the caller's transaction (the transactional outbox: the job exists exactly
 * when the data it is about was committed). Call `wakeWorkers()` after the commit so this process
 * starts it without waiting for a poll.
 */
export async function enqueueJob(tx: Prisma.TransactionClient | PrismaClient, job: JobRequest): Promise<void> {
  await tx.job.createMany({ data: [jobRow(job)], skipDuplicates: true });
}

/** The Job row for a request, for callers that batch it with other writes (`createMany` with `skipDuplicates`). */
export function jobRow(job: JobRequest): Prisma.JobCreateManyInput {
  return {
    type: job.type,
    payload: job.payload,
    runAt: job.runAt ?? new Date(),
    maxAttempts: job.maxAttempts ?? 10,
    singletonKey: job.singletonKey,
  };
}
