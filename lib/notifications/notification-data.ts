/**
 * What each kind of notification carries in `Notification.data`: written with its cause, parsed
 * again when it is sent (a row that does not fit fails with the reason instead of a broken
 * message). Facts only — names, plan and offer ids, reasons, dates —, never a token or a secret.
 * Offer and plan names come from the catalog when the message is written out, so a renamed offer
 * reads right.
 */
import { z } from "zod";
import type { NotificationKind } from "./notification-kinds";

const isoDate = z.iso.datetime({ offset: true });
const change = <T extends z.ZodType>(value: T) => z.object({ from: value, to: value });

export const subscriptionFacts = z.object({
  subscriptionId: z.string(),
  /** The name the buyer gave it at Microsoft. */
  subscriptionName: z.string().nullable(),
  offerId: z.string(),
  planId: z.string(),
  seats: z.number().int().nullable(),
});
export type SubscriptionFacts = z.infer<typeof subscriptionFacts>;

const usageItem = z.object({
  subscriptionId: z.string(),
  dimension: z.string(),
  periodStart: isoDate,
  quantity: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
});

export const notificationDataSchemas = {
  purchase_received: subscriptionFacts.extend({ purchasedAt: isoDate }),
  setup_reminder: subscriptionFacts.extend({ purchasedAt: isoDate, hoursAfter: z.number().int() }),
  subscription_active: subscriptionFacts,
  change_completed: subscriptionFacts.extend({
    planChange: change(z.string()).nullable(),
    seatsChange: change(z.number().int().nullable()).nullable(),
  }),
  change_failed: subscriptionFacts.extend({
    action: z.string(),
    requestedPlanId: z.string().nullable(),
    requestedQuantity: z.number().int().nullable(),
    reason: z.string(),
    /** Whose refusal: Microsoft's (a failed operation) or the publisher's (its policy refused Microsoft's request). */
    by: z.enum(["microsoft", "publisher"]),
  }),
  suspended: subscriptionFacts,
  reinstated: subscriptionFacts,
  cancelled: subscriptionFacts.extend({
    dataRetainedUntil: isoDate.nullable(),
    /** Ended while it waited for activation (expired, or cancelled before it was ever live): no data was kept. */
    endedBeforeActivation: z.boolean().optional(),
  }),
  colleague_invitation: subscriptionFacts.extend({ inviterName: z.string().nullable(), expiresAt: isoDate }),
  new_purchase: subscriptionFacts.extend({
    status: z.string(),
    activatedBy: z.enum(["portal", "marketplace"]).nullable(),
    tenantId: z.string().nullable(),
  }),
  setup_pending: subscriptionFacts.extend({ days: z.number().int(), since: isoDate }),
  acknowledgement_failed: subscriptionFacts.extend({
    operationId: z.string(),
    answer: z.string(),
    outcome: z.string(),
    microsoftStatus: z.string().nullable(),
    reason: z.string(),
  }),
  webhook_refused: z.object({
    webhookEventId: z.string(),
    action: z.string(),
    subscriptionId: z.string(),
    reason: z.string(),
  }),
  webhook_token_refused: z.object({
    /** The setting the token did not match (verify-webhook-token.ts, SignedMismatch). */
    mismatch: z.enum(["audience", "issuer", "tenant", "caller"]),
    /** The verifier's reason, e.g. `claim check failed: aud (check_failed)`: never the token or a header. */
    reason: z.string(),
    /** The first such refusal of the day the alert was written on (UTC). */
    firstRefusedAt: isoDate,
  }),
  reconciliation_drift: z.object({
    runId: z.string(),
    driftCount: z.number().int(),
    subscriptionsSeen: z.number().int(),
    samples: z.array(
      z.object({
        subscriptionId: z.string(),
        field: z.string(),
        local: z.string().nullable(),
        remote: z.string().nullable(),
      }),
    ),
  }),
  usage_rejected: z.object({ count: z.number().int(), items: z.array(usageItem) }),
  usage_expiring: z.object({ count: z.number().int(), items: z.array(usageItem) }),
  job_dead_lettered: z.object({
    /** The job's name, or `deliver-event` for an event delivery. */
    task: z.string(),
    /** The job's or the delivery's id. */
    id: z.string(),
    attempts: z.number().int(),
    reason: z.string(),
    /** The console page about it (a path). */
    consolePath: z.string().startsWith("/admin"),
  }),
  credentials_failing: z.object({ reason: z.string() }),
  credentials_expiring: z.object({
    credential: z.enum(["secret", "certificate"]),
    /** ISO date-time of the expiry. */
    expiresAt: z.string(),
    /** Calendar days left (UTC); 0 or less once expired. */
    daysLeft: z.number().int(),
    thumbprint: z.string().optional(),
  }),
} satisfies Record<NotificationKind, z.ZodType>;

export type NotificationData<K extends NotificationKind> = z.infer<(typeof notificationDataSchemas)[K]>;
