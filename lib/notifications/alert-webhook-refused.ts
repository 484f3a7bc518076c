/**
 * The publisher's `webhook_refused` alert: a webhook delivery Microsoft did not confirm (it does
 * not know the operation, or the delivery does not match it), so nothing changed — a forgery, or a
 * delivery for another publisher's offer. Written with the delivery's final status, once per
 * delivery. Deliveries refused before they are recorded (a bad token: 401) are not alerted on here:
 * anyone can send those, and an alert per request would be theirs to trigger. The one kind of 401
 * that points at the portal's own settings — a token Entra ID signed for Microsoft's marketplace
 * but for another audience or tenant — is `webhook_token_refused` (alert-webhook-token-refused.ts),
 * once a day per reason.
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { alertPublisher } from "./alert-publisher";

export async function alertWebhookRefused(
  tx: Prisma.TransactionClient,
  event: { id: string; action: string; subscriptionId: string },
  reason: string,
): Promise<void> {
  await alertPublisher(tx, {
    kind: "webhook_refused",
    cause: `webhook:${event.id}`,
    data: { webhookEventId: event.id, action: event.action, subscriptionId: event.subscriptionId, reason },
  });
}
