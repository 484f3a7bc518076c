import type { WebhookEventStatus } from "../generated/prisma/enums";

/**
 * What became of a webhook delivery (WebhookEvent.status):
 * - received, processing: not finished (a job is on it);
 * - applied: confirmed with Microsoft and acted on; refused: confirmed, and the publisher refused
 *   the change (acknowledged Failure); ignored: confirmed, nothing to do (an action we do not act
 *   on, or an operation already final); stale: confirmed but older than what we already applied;
 * - unconfirmed: Microsoft does not know the operation or it does not match the body: nothing
 *   changed; duplicate: another delivery of the same operation was already confirmed;
 * - failed: the job gave up (Microsoft unreachable for longer than its retries).
 */
export const FINAL_WEBHOOK_STATUSES: WebhookEventStatus[] = [
  "applied",
  "refused",
  "ignored",
  "stale",
  "unconfirmed",
  "duplicate",
];

/** Deliveries an admin should look at: unconfirmed (possibly forged) or failed. */
export const ATTENTION_WEBHOOK_STATUSES: WebhookEventStatus[] = ["unconfirmed", "failed"];

/** The console's filters: each status, plus "attention" (the two above) and "stuck" (not processed after 10 minutes). */
export const WEBHOOK_FILTERS = [
  "attention",
  "received",
  "processing",
  "applied",
  "refused",
  "ignored",
  "stale",
  "unconfirmed",
  "duplicate",
  "failed",
  "stuck",
] as const satisfies ReadonlyArray<WebhookEventStatus | "attention" | "stuck">;
