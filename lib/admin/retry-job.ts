import "server-only";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError } from "../errors";
import { wakeWorkers } from "../jobs/wake";
import { publisherAudit } from "./publisher-actor";

/**
 * Puts a job that failed for good back in the queue with a fresh set of attempts (e.g. an
 * acknowledgement Microsoft did not take while it was down). Conditional on `failed`, so a double
 * submit or a job that is already running changes nothing.
 */
export async function retryFailedJob(options: {
  jobId: bigint;
  actor: Actor;
  subscriptionId?: string;
  type?: string;
  reason: string;
}) {
  const job = await db().job.findUnique({ where: { id: options.jobId } });
  // A job id posted for another subscription or of another kind is treated as unknown.
  const foreign =
    job &&
    ((options.type && job.type !== options.type) ||
      (options.subscriptionId && subscriptionOf(job.payload) !== options.subscriptionId));
  if (!job || foreign || job.status !== "failed")
    throw new AppError("invalid_input", {
      message: "This job is not in the failed state (it may already have been retried). Nothing was changed.",
    });
  const subscriptionId = options.subscriptionId ?? subscriptionOf(job.payload);
  await db().$transaction(async (tx) => {
    const updated = await tx.job.updateMany({
      where: { id: job.id, status: "failed" },
      data: { status: "pending", attempts: 0, runAt: new Date(), completedAt: null },
    });
    if (updated.count === 0)
      throw new AppError("invalid_input", {
        message: "This job was retried by someone else just now. Nothing was changed.",
      });
    // The audit row hangs off the subscription when we have it (a webhook may name one we never stored).
    const known = subscriptionId ? await tx.subscription.count({ where: { id: subscriptionId } }) : 0;
    await tx.auditEvent.create({
      data: {
        subscriptionId: known ? subscriptionId : null,
        ...publisherAudit(options.actor),
        action: options.reason,
        detail: { jobId: job.id.toString(), type: job.type, lastError: job.lastError },
      },
    });
  });
  wakeWorkers();
}

function subscriptionOf(payload: unknown): string | undefined {
  return typeof payload === "object" &&
    payload &&
    "subscriptionId" in payload &&
    typeof payload.subscriptionId === "string"
    ? payload.subscriptionId
    : undefined;
}
