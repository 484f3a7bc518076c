/**
 * The publisher's `job_dead_lettered` alert for a background job that failed for good (its
 * retries ran out; it waits in the console's failed list to be retried). At most one alert per
 * kind of job and hour: when Microsoft is down for an hour, many jobs fail for the same reason,
 * and one message saying so (with the first one's reason) is what helps. The send job's own
 * failures alert nobody — an alert about alerts failing could only fail the same way.
 */
import "server-only";
import { db } from "../db";
import { logger } from "../logger";
import { headerText } from "./mail-text";
import { alertPublisher } from "./alert-publisher";

export async function alertJobDeadLettered(failure: {
  job: string;
  jobId: string;
  attempts: number;
  reason: string;
  at?: Date;
}): Promise<void> {
  if (failure.job === "send-notification") return;
  const hour = (failure.at ?? new Date()).toISOString().slice(0, 13);
  try {
    await alertPublisher(db(), {
      kind: "job_dead_lettered",
      cause: `job:${failure.job}:${hour}`,
      data: {
        task: failure.job,
        id: failure.jobId,
        attempts: failure.attempts,
        reason: headerText(failure.reason, 500),
        consolePath: "/admin/operations",
      },
    });
  } catch (error) {
    logger.error("could not write the alert for a job that failed for good", { jobId: failure.jobId, error });
  }
}
