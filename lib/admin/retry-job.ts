import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import type { JobDefinition } from "../jobs/define-job";
import { findJob, requeueFailedJob } from "../jobs/job-store";
import { wakeWorkers } from "../jobs/wake";
import { publisherAudit } from "./publisher-actor";
import { recordAudit, type AuditAction } from "../audit/record-audit";

/**
 * Puts a job that failed for good back in the queue with a fresh set of attempts (e.g. an
 * acknowledgement Microsoft did not take while it was down). Conditional on `failed`, so a double
 * submit or a job that is already running changes nothing.
 */
export async function retryFailedJob(options: {
  jobId: string;
  actor: Actor;
  subscriptionId?: string;
  job?: JobDefinition;
  reason: Extract<AuditAction, "job_retried" | "acknowledgement_resent">;
}) {
  const job = await findJob(options.jobId);
  // A job id posted for another subscription or of another kind is treated as unknown.
  const foreign =
    job &&
    ((options.job && job.name !== options.job.name) ||
      (options.subscriptionId && subscriptionOf(job.data) !== options.subscriptionId));
  if (!job || foreign || job.state !== "failed")
    throw new AppError("invalid_input", {
      message: "This job is not in the failed state (it may already have been retried). Nothing was changed.",
    });
  const subscriptionId = options.subscriptionId ?? subscriptionOf(job.data);
  await db().$transaction(async (tx) => {
    if (!(await requeueFailedJob(tx, job)))
      throw new AppError("invalid_input", {
        message: "This job was retried by someone else just now. Nothing was changed.",
      });
    // The audit row hangs off the subscription when we have it (a webhook may name one we never stored).
    const known = subscriptionId ? await tx.subscription.count({ where: { id: subscriptionId } }) : 0;
    await recordAudit(tx, {
      subscriptionId: known ? subscriptionId : null,
      actor: publisherAudit(options.actor),
      action: options.reason,
      detail: { jobId: job.id, job: job.name, lastError: job.error },
    });
  });
  wakeWorkers();
}

function subscriptionOf(data: Record<string, unknown>): string | undefined {
  return typeof data.subscriptionId === "string" ? data.subscriptionId : undefined;
}
