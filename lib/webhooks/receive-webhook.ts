import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { db, isUniqueViolation } from "../db";
import { writeWithJob } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import { logger } from "../logger";
import { alertWebhookTokenRefused } from "../notifications/alert-webhook-token-refused";
import type { WebhookVerification } from "./verify-webhook-token";
import { processWebhookEventJob } from "./process-webhook-event";
import { findUnstorableText, redactPayload, webhookPayloadSchema } from "./webhook-payload";

export type WebhookReceipt =
  | { status: 200; body: { result: "accepted" | "duplicate"; eventId: string } }
  | { status: 400; body: { error: string; issues?: string[] } }
  | { status: 401; body: { error: string } };

/**
 * Microsoft's webhook, in the order that keeps it safe and fast: authenticate first (nothing is
 * stored for a caller we cannot verify; a token Entra ID signed for other settings than ours alerts
 * the publisher, in the background), validate, record the event and its processing job in one
 * transaction, and answer at once; the job does the rest.
 *
 * A repeat of the same body (operation id + action + body hash) is a duplicate: 200, nothing
 * changes. A different body for the same operation is recorded as its own event: only the one
 * Microsoft's operation confirms is applied (processWebhookEvent), so a forged look-alike that
 * arrives first cannot make the genuine delivery look like a duplicate.
 */
export async function receiveWebhook(options: {
  authorization: string | null;
  body: string;
  verify: (authorization: string | null) => Promise<WebhookVerification>;
}): Promise<WebhookReceipt> {
  const verification = await options.verify(options.authorization);
  if (!verification.ok) {
    logger.warn("webhook refused: authentication failed", {
      reason: verification.reason,
      ...(verification.signedMismatch ? { signedMismatch: verification.signedMismatch } : {}),
      bodyBytes: options.body.length,
    });
    // Signed by Entra ID but not for our settings: if Microsoft's, every delivery fails the same way.
    if (verification.signedMismatch)
      void alertWebhookTokenRefused({ signedMismatch: verification.signedMismatch, reason: verification.reason });
    return { status: 401, body: { error: "Unauthorized" } };
  }

  let json: unknown;
  try {
    json = JSON.parse(options.body);
  } catch {
    return { status: 400, body: { error: "The body is not valid JSON." } };
  }
  // PostgreSQL cannot store NUL in text or JSON; a 5xx here would make Microsoft retry for 8 hours.
  const unstorable = findUnstorableText(json);
  if (unstorable) {
    logger.warn("webhook refused: unstorable text", { where: unstorable });
    return {
      status: 400,
      body: { error: "The body contains a NUL character or invalid Unicode.", issues: [unstorable] },
    };
  }
  const parsed = webhookPayloadSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
    logger.warn("webhook refused: invalid payload", { issues });
    return { status: 400, body: { error: "The webhook payload is invalid.", issues } };
  }
  const payload = parsed.data;
  const verificationSummary = {
    version: verification.version,
    caller: verification.caller,
    issuer: verification.claims.iss ?? null,
  };
  const payloadHash = createHash("sha256").update(options.body).digest("hex");

  try {
    // The event and its job in one statement (one round trip, atomic), with the event id chosen
    // here, so Microsoft gets its 200 as soon as both are durable. Times as UTC (timestamp columns).
    const eventId = randomUUID();
    await writeWithJob(
      {
        text: `INSERT INTO "WebhookEvent" (id, "operationId", action, "subscriptionId", "payloadHash", "eventTime",
                 "requestSource", "planId", quantity, payload, verification, "receivedAt")
               VALUES ($1, $2, $3, $4, $5, $6::timestamptz AT TIME ZONE 'UTC', $7, $8, $9, $10::jsonb, $11::jsonb, now() AT TIME ZONE 'UTC')
               RETURNING id`,
        values: [
          eventId,
          payload.id,
          payload.action,
          payload.subscriptionId.toLowerCase(),
          payloadHash,
          payload.timeStamp.toISOString(),
          payload.operationRequestSource ?? null,
          payload.planId ?? null,
          payload.quantity ?? null,
          JSON.stringify(redactPayload(json)),
          JSON.stringify(verificationSummary),
        ],
      },
      processWebhookEventJob,
      { eventId },
    );
    wakeWorkers();
    return { status: 200, body: { result: "accepted", eventId } };
  } catch (error) {
    if (isUniqueViolation(error)) {
      const existing = await db().webhookEvent.findUnique({
        where: { operationId_action_payloadHash: { operationId: payload.id, action: payload.action, payloadHash } },
        select: { id: true },
      });
      logger.info("duplicate webhook delivery ignored", { operationId: payload.id, action: payload.action });
      return { status: 200, body: { result: "duplicate", eventId: existing?.id ?? "" } };
    }
    throw error;
  }
}
