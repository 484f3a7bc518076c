import "server-only";
import { webhookEnv } from "../env";
import { logger } from "../logger";
import { telemetry } from "../telemetry/telemetry";
import { receiveWebhook } from "./receive-webhook";
import { webhookVerifier } from "./webhook-verifier";

/** What the webhook URL answers to one delivery: a status and a small JSON body. */
export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The answer's headers: JSON, not cached, never compressed (`no-transform`) — compressing fifty
 * bytes costs more than the rest of the answer.
 */
export const WEBHOOK_ANSWER_HEADERS = {
  "content-type": "application/json",
  "cache-control": "no-store, no-transform",
} as const;

/** The largest body a delivery may have (WEBHOOK_MAX_BODY_BYTES). */
export const webhookBodyLimit = () => webhookEnv().WEBHOOK_MAX_BODY_BYTES;

/**
 * Microsoft's webhook, whoever serves the URL — the route handler (`next dev`, `next start`) or the
 * standalone server's fast path (lib/webhooks/serve-webhook-node.ts, docs/decisions/0023): the
 * body read up to the limit (null when larger) goes to receiveWebhook, and the outcome is counted.
 * An error recording the event is a 503, which makes Microsoft deliver again: nothing is lost.
 */
export async function answerWebhookDelivery(delivery: {
  authorization: string | null;
  body: string | null;
}): Promise<WebhookAnswer> {
  if (delivery.body === null) {
    telemetry.webhookDelivery("refused", 413);
    return { status: 413, body: { error: `The body is larger than ${webhookBodyLimit()} bytes.` } };
  }
  try {
    const receipt = await receiveWebhook({
      authorization: delivery.authorization,
      body: delivery.body,
      verify: webhookVerifier(),
    });
    telemetry.webhookDelivery(receipt.status === 200 ? receipt.body.result : "refused", receipt.status);
    return receipt;
  } catch (error) {
    logger.error("webhook could not be recorded", { error });
    telemetry.webhookDelivery("failed", 503);
    return { status: 503, body: { error: "The event could not be recorded; please retry." } };
  }
}
