/**
 * The publisher's `webhook_token_refused` alert: a webhook token signed by Entra ID was refused (401)
 * for a claim the portal's settings decide (verify-webhook-token.ts, `signedMismatch`). From
 * Microsoft, that is a misconfiguration — WEBHOOK_AUDIENCE or MARKETPLACE_TENANT_ID not matching the
 * offer's technical configuration in Partner Center — and every genuine delivery is refused, so plan
 * and seat changes, suspensions and cancellations are never applied.
 *
 * Anyone may send a webhook, so the 401 never waits for this nor fails with it, and a flood costs
 * one write: the alert is written in the background, its cause makes it one per mismatch and UTC
 * day across instances, and this process tries once per mismatch and day (again after a while only
 * when the write failed).
 */
import "server-only";
import { db } from "../db";
import { wakeWorkers } from "../jobs/wake";
import { logger } from "../logger";
import type { SignedMismatch } from "../webhooks/verify-webhook-token";
import { alertPublisher } from "./alert-publisher";

/** After a failed write, the next such refusal tries again no sooner than this. */
const RETRY_AFTER_MS = 10 * 60_000;

// `<mismatch>:<UTC day>` → when this process may write it (again). On globalThis: the route handler
// and the standalone server's webhook fast path may each bundle this module, in one process.
const KEY = Symbol.for("marketplace-portal.notifications.webhook-token-refused");
const holder = globalThis as typeof globalThis & { [KEY]?: Map<string, number> };
const nextWrite = (holder[KEY] ??= new Map<string, number>());

/**
 * Writes the alert for this refusal unless this process already did today; never throws. Returns
 * the write (which never rejects) or undefined when there was nothing to write: the webhook does
 * not wait for it.
 */
export function alertWebhookTokenRefused(
  refusal: { signedMismatch: SignedMismatch; reason: string },
  now = new Date(),
): Promise<void> | undefined {
  const day = now.toISOString().slice(0, 10);
  const key = `${refusal.signedMismatch}:${day}`;
  if ((nextWrite.get(key) ?? 0) > now.getTime()) return undefined;
  for (const seen of nextWrite.keys()) if (!seen.endsWith(day)) nextWrite.delete(seen);
  nextWrite.set(key, Number.POSITIVE_INFINITY);
  const write = async () => {
    await alertPublisher(db(), {
      kind: "webhook_token_refused",
      cause: `webhook-token:${refusal.signedMismatch}:${day}`,
      data: { mismatch: refusal.signedMismatch, reason: refusal.reason, firstRefusedAt: now.toISOString() },
    });
    wakeWorkers();
  };
  return write().catch((error: unknown) => {
    nextWrite.set(key, now.getTime() + RETRY_AFTER_MS);
    logger.error("webhook_token_refused alert could not be written", { mismatch: refusal.signedMismatch, error });
  });
}

/** For tests: forgets what this process wrote, as another instance would not know it. */
export function forgetWebhookTokenAlerts(): void {
  nextWrite.clear();
}
