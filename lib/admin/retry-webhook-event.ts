import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import { FINAL_WEBHOOK_STATUSES } from "../webhooks/webhook-statuses";
import { processWebhookEventJob } from "../webhooks/process-webhook-event";
import { publisherAudit } from "./publisher-actor";
import { recordAudit } from "../audit/record-audit";

/**
 * Runs a delivery's processing job again — for an event whose job gave up (Microsoft was down
 * for longer than its retries) or that is stuck. The job re-confirms with Microsoft first, so a
 * retry can never apply something Microsoft does not stand behind.
 */
export async function retryWebhookEvent(options: { eventId: string; actor: Actor }) {
  const event = await db().webhookEvent.findUnique({ where: { id: options.eventId } });
  if (!event) throw new AppError("invalid_input", { message: "This delivery does not exist." });
  if (FINAL_WEBHOOK_STATUSES.includes(event.status)) {
    throw new AppError("invalid_input", {
      message: `This delivery is already ${event.status}; processing it again would change nothing. Nothing was changed.`,
    });
  }
  await db().$transaction(async (tx) => {
    const known = await tx.subscription.count({ where: { id: event.subscriptionId } });
    await recordAudit(tx, {
      subscriptionId: known ? event.subscriptionId : null,
      actor: publisherAudit(options.actor),
      action: "webhook_retried",
      detail: { eventId: event.id, action: event.action, status: event.status },
    });
    // The singleton key makes this a no-op while a run is already queued.
    await enqueue(tx, processWebhookEventJob, { eventId: event.id });
  });
  wakeWorkers();
}
