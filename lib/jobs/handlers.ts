import "server-only";
import { z } from "zod";
import { db } from "../db";
import { webhookEnv } from "../env";
import { scheduleUsageSubmission, SUBMIT_USAGE_JOB, usageJobPayload } from "../metering/schedule-usage-submission";
import { submitUsage } from "../metering/submit-usage";
import { ACKNOWLEDGE_JOB, acknowledgeOperation } from "../operations/acknowledge-operation";
import { CONFIRM_ACKNOWLEDGED_JOB, confirmAcknowledgedChange } from "../operations/confirm-acknowledged-change";
import { CONFIRM_CHANGE_JOB, confirmSubmittedChange } from "../operations/confirm-submitted-change";
import { FOLLOW_ACTIVATION_JOB, followActivation } from "../operations/follow-activation";
import { FOLLOW_OPERATION_JOB, followOperation } from "../operations/follow-operation";
import { SUBMIT_CHANGE_JOB, submitSubscriptionChange } from "../operations/submit-subscription-change";
import { RECONCILE_JOB, reconcileSubscriptions } from "../reconciliation/reconcile-subscriptions";
import { processWebhookEvent } from "../webhooks/process-webhook-event";
import { PROCESS_WEBHOOK_JOB } from "../webhooks/receive-webhook";
import { enqueueJob } from "./enqueue-job";
import type { JobHandler } from "./worker";

const eventPayload = z.object({ eventId: z.string() });
const ackPayload = z.object({
  subscriptionId: z.string(),
  operationId: z.string(),
  status: z.enum(["Success", "Failure"]),
  eventId: z.string().optional(),
});
const operationPayload = z.object({ operationId: z.string() });
const followPayload = z.object({ operationId: z.string(), poll: z.number().int().positive().default(1) });
const checkPayload = z.object({ operationId: z.string(), check: z.number().int().positive().default(1) });
const reconcilePayload = z.object({ trigger: z.enum(["schedule", "manual", "cli"]).default("schedule") });

export const SCHEDULED_RECONCILE_KEY = "reconcile:scheduled";

/** Every job type the portal runs, with its payload parsed. */
export const jobHandlers: Record<string, JobHandler> = {
  [PROCESS_WEBHOOK_JOB]: (job) => processWebhookEvent(eventPayload.parse(job.payload)),
  [ACKNOWLEDGE_JOB]: (job) => acknowledgeOperation(ackPayload.parse(job.payload)),
  [SUBMIT_CHANGE_JOB]: (job) =>
    submitSubscriptionChange({ ...operationPayload.parse(job.payload), attempt: job.attempts }),
  [FOLLOW_OPERATION_JOB]: (job) => followOperation(followPayload.parse(job.payload)),
  [FOLLOW_ACTIVATION_JOB]: (job) => followActivation(followPayload.parse(job.payload)),
  [CONFIRM_CHANGE_JOB]: (job) => confirmSubmittedChange(checkPayload.parse(job.payload)),
  [CONFIRM_ACKNOWLEDGED_JOB]: (job) => confirmAcknowledgedChange(checkPayload.parse(job.payload)),
  [RECONCILE_JOB]: async (job) => {
    const { trigger } = reconcilePayload.parse(job.payload);
    if (trigger === "schedule") {
      // Release the schedule key first, then book the next run: one scheduled run pending at a time.
      await db().job.update({ where: { id: job.id }, data: { singletonKey: null } });
      await scheduleReconciliation();
    }
    await reconcileSubscriptions({ trigger });
  },
  [SUBMIT_USAGE_JOB]: async (job) => {
    const { trigger } = usageJobPayload.parse(job.payload);
    if (trigger === "schedule") {
      // As for reconciliation: free the schedule key, book the next run, then do this one.
      await db().job.update({ where: { id: job.id }, data: { singletonKey: null } });
      await scheduleUsageSubmission();
    }
    await submitUsage({ trigger });
  },
};

export { scheduleUsageSubmission };

/** Books the next scheduled reconciliation (no-op when one is already pending, or when disabled). */
export async function scheduleReconciliation(delayMinutes = webhookEnv().RECONCILE_INTERVAL_MINUTES) {
  if (delayMinutes <= 0) return;
  await enqueueJob(db(), {
    type: RECONCILE_JOB,
    payload: { trigger: "schedule" },
    runAt: new Date(Date.now() + delayMinutes * 60_000),
    singletonKey: SCHEDULED_RECONCILE_KEY,
    maxAttempts: 3,
  });
}
