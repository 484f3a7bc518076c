/**
 * What the marketplace emulator stores. The persisted shapes are parsed with zod on load so a
 * hand-edited or half-written state file fails loudly instead of leaking `undefined` into the API.
 * Wire shapes (what the Fulfillment API returns) live in wire.ts.
 */
import { z } from "zod";

/** The only api-version of the SaaS Fulfillment API v2 (marketplace-contract.md §0, §1). */
export const API_VERSION = "2018-08-31";
/** Resource app id of the Marketplace API: the `aud` of the publisher's bearer tokens (§0). */
export const MARKETPLACE_API_APP_ID = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
/** §4.3: purchase tokens live 24 hours (the OpenAPI text says one hour; the docs win here). */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 60 * 60;

export const subscriptionStatusSchema = z.enum([
  "NotStarted",
  "PendingFulfillmentStart",
  "Subscribed",
  "Suspended",
  "Unsubscribed",
]);
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;

/** The term units the OpenAPI lists (marketplace-contract.md §5.3). */
export const KNOWN_TERM_UNITS = ["P1M", "P1Y", "P2Y", "P3Y", "P4Y", "P5Y"] as const;
export type TermUnit = (typeof KNOWN_TERM_UNITS)[number];

export const customerOperationSchema = z.enum(["Read", "Update", "Delete"]);
export type CustomerOperation = z.infer<typeof customerOperationSchema>;

const identitySchema = z.object({
  emailId: z.string(),
  objectId: z.string(),
  tenantId: z.string(),
  puid: z.string(),
});
export type StoredIdentity = z.infer<typeof identitySchema>;

export const storedSubscriptionSchema = z.object({
  id: z.string(),
  publisherId: z.string(),
  offerId: z.string(),
  name: z.string(),
  status: subscriptionStatusSchema,
  beneficiary: identitySchema,
  purchaser: identitySchema,
  planId: z.string(),
  /** Only for per-seat plans. */
  quantity: z.number().int().optional(),
  /**
   * Open: the catalog's units, or any text the control API set (`PAY`, §15.12), reported as is.
   * Only the known units have a length the sandbox can compute (term.ts).
   */
  termUnit: z.string().min(1),
  termStartDate: z.string().optional(),
  termEndDate: z.string().optional(),
  /** `term.chargeDuration` (§5.3): from the plan, or set through the control API; null on the wire when absent. */
  chargeDuration: z.string().optional(),
  /** Bought on an auto-activated plan (§4.7): `Subscribed` at purchase, announced by a `Subscribe` webhook. */
  autoActivated: z.boolean().optional(),
  autoRenew: z.boolean(),
  isTest: z.boolean(),
  isFreeTrial: z.boolean(),
  allowedCustomerOperations: z.array(customerOperationSchema),
  sandboxType: z.enum(["None", "Csp"]),
  sessionMode: z.enum(["None", "DryRun"]),
  created: z.string(),
  lastModified: z.string(),
  /**
   * Set when Activate was accepted while `activationDelayMs` > 0: the subscription turns
   * `Subscribed` at this instant (§6.2: activation is processed asynchronously).
   */
  activationDueAt: z.string().optional(),
  /** When the subscription was cancelled: usage from before then is still accepted within 24 h (§9.1). */
  unsubscribedAt: z.string().optional(),
});
export type StoredSubscription = z.infer<typeof storedSubscriptionSchema>;

export const operationActionSchema = z.enum([
  /** An auto-activated purchase completed (§4.7): recorded `Succeeded` at once, notify-only. */
  "Subscribe",
  "Unsubscribe",
  "ChangePlan",
  "ChangeQuantity",
  "Suspend",
  "Reinstate",
  "Renew",
]);
export type OperationAction = z.infer<typeof operationActionSchema>;
export const operationStatusSchema = z.enum(["NotStarted", "InProgress", "Succeeded", "Failed", "Conflict"]);
export type OperationStatus = z.infer<typeof operationStatusSchema>;

export const storedOperationSchema = z.object({
  id: z.string(),
  activityId: z.string(),
  subscriptionId: z.string(),
  offerId: z.string(),
  publisherId: z.string(),
  /** Target plan (ChangePlan) or the current plan (other actions), as in the webhook payload (§8.3). */
  planId: z.string(),
  /** Target seat count (ChangeQuantity) or the current one; absent for flat plans. */
  quantity: z.number().int().optional(),
  action: operationActionSchema,
  timeStamp: z.string(),
  status: operationStatusSchema,
  /** Who started it (`Partner` = the ISV's API call; `Azure` = the customer on Microsoft's side). */
  source: z.enum(["Partner", "Azure"]),
  /** When the emulator completes the operation on its own if nobody acknowledged it first. */
  dueAt: z.string(),
  /** A failure injected through `failNextOperations`: the operation ends `Failed`. */
  injectedFailure: z.boolean(),
  errorStatusCode: z.string(),
  errorMessage: z.string(),
  completedAt: z.string().optional(),
  /**
   * How it ended: `timer` (a publisher-initiated Unsubscribe, or an injected failure, after
   * `operationDelayMs`), `acknowledgement` (the ISV's PATCH operation), `autoAccept` (no PATCH
   * within the ACK window, §7.4), `webhookRejection` (the webhook was answered with a 4xx,
   * §7.4), `immediate` (notify-only marketplace actions: Subscribe, Suspend, Unsubscribe, Renew;
   * Reinstate under the notify-only-reinstate variant).
   */
  settledBy: z.enum(["timer", "acknowledgement", "autoAccept", "webhookRejection", "immediate"]).optional(),
  /**
   * While InProgress: `processing` = Microsoft is still working on a publisher-initiated change
   * (until `dueAt`); `awaitingAck` = the webhook was raised and the ISV may PATCH the operation
   * until `ackDueAt`. Absent in state files written before webhooks existed (= processing).
   */
  phase: z.enum(["processing", "awaitingAck"]).optional(),
  ackDueAt: z.string().optional(),
  /** The ACK window this operation got (`ackTimeoutMs` when the webhook was raised). */
  ackWindowMs: z.number().int().optional(),
  /** `drop`: the marketplace-side change is applied but its webhook is never sent (a lost webhook). */
  deliver: z.enum(["normal", "drop"]).optional(),
  /**
   * Variant delayed-apply: the operation succeeded but the subscription shows the change only
   * from this instant (applied lazily on the next read, like `activationDueAt`).
   */
  applyDueAt: z.string().optional(),
});
export type StoredOperation = z.infer<typeof storedOperationSchema>;

export const webhookAttemptSchema = z.object({
  at: z.string(),
  url: z.string(),
  /** The HTTP status of the answer; absent when there was none (connection refused, timeout). */
  status: z.number().int().optional(),
  durationMs: z.number().int(),
  error: z.string().optional(),
  /** The start of the answer's body, for debugging (e.g. the portal's validation issues). */
  responseBody: z.string().optional(),
});
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

/**
 * One webhook delivery: a payload and every attempt to POST it. A redelivery is a new delivery
 * with the same payload (same operation id), so the portal sees a duplicate.
 *  - `pending`: attempts remain (`nextAttemptAt`); `delivered`: answered 2xx;
 *  - `failed`: gave up after `webhookMaxAttempts`; `rejected`: a ChangePlan/ChangeQuantity
 *    answered with a 4xx (Microsoft's documented way to refuse, §7.4);
 *  - `dropped`: deliberately never sent (`deliver: "drop"`).
 */
export const storedDeliverySchema = z.object({
  id: z.string(),
  operationId: z.string(),
  subscriptionId: z.string(),
  action: operationActionSchema,
  createdAt: z.string(),
  /** The URL of the latest attempt (the configured URL when none was made yet). */
  url: z.string(),
  payload: z.record(z.string(), z.unknown()),
  attempts: z.array(webhookAttemptSchema),
  outcome: z.enum(["pending", "delivered", "failed", "rejected", "dropped"]),
  nextAttemptAt: z.string().optional(),
  redeliveryOf: z.string().optional(),
});
export type StoredDelivery = z.infer<typeof storedDeliverySchema>;

/** Purchase tokens are stored by hash only: the state file never holds a usable token. */
export const storedPurchaseTokenSchema = z.object({
  sha256: z.string(),
  subscriptionId: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type StoredPurchaseToken = z.infer<typeof storedPurchaseTokenSchema>;

export const marketplaceStateSchema = z.object({
  version: z.literal(1),
  subscriptions: z.array(storedSubscriptionSchema),
  operations: z.array(storedOperationSchema),
  purchaseTokens: z.array(storedPurchaseTokenSchema),
  /** Absent in state files written before webhooks existed. */
  deliveries: z.array(storedDeliverySchema).default([]),
});
export type MarketplaceState = z.infer<typeof marketplaceStateSchema>;

export function emptyState(): MarketplaceState {
  return { version: 1, subscriptions: [], operations: [], purchaseTokens: [], deliveries: [] };
}

export interface EmulatorSettings {
  /**
   * How long a publisher-initiated PATCH/DELETE stays InProgress while "Microsoft processes it",
   * before its webhook is sent (and, for plan/quantity changes, the ACK window starts).
   */
  operationDelayMs: number;
  /** How long an accepted Activate keeps showing PendingFulfillmentStart. */
  activationDelayMs: number;
  /** The next N publisher-initiated operations (PATCH/DELETE) end `Failed`, without a webhook. */
  failNextOperations: number;
  /** ChangePlan/ChangeQuantity/Reinstate: how long the ISV may PATCH the operation before it is auto-accepted (§7.4: 10 s). */
  ackTimeoutMs: number;
  /** Where webhooks are POSTed (the offer's "Connection webhook"). */
  webhookUrl: string;
  /** Attempts per delivery, the first included. */
  webhookMaxAttempts: number;
  /** Wait before the second attempt; doubles for each further one. */
  webhookBackoffMs: number;
  /** Time limit of one attempt. */
  webhookTimeoutMs: number;
  /** Variant slow-activation: how long an accepted Activate stays pending when `activationDelayMs` is 0. */
  slowActivationMs: number;
  /** Variant delayed-apply: how long after a plan/seat change succeeded the subscription shows it. */
  applyDelayMs: number;
  /** Variant reordered-webhooks: how long a new delivery waits, so a newer one can overtake it. */
  webhookHoldMs: number;
  /** Variant throttle-no-retry-after: how many tries of each call are refused 429 before one is processed. */
  throttledTries: number;
  /** Variant html-errors: how many tries of each GET get a gateway's HTML 502/503 before one is processed. */
  gatewayErrorTries: number;
  /** Variant pending-expiry: how long a purchase may stay PendingFulfillmentStart before Microsoft ends it. */
  pendingExpiryMs: number;
}

export const DEFAULT_SETTINGS: Omit<EmulatorSettings, "webhookUrl"> = {
  operationDelayMs: 2000,
  activationDelayMs: 0,
  failNextOperations: 0,
  ackTimeoutMs: 10_000,
  webhookMaxAttempts: 5,
  webhookBackoffMs: 1000,
  webhookTimeoutMs: 5000,
  slowActivationMs: 4000,
  applyDelayMs: 3000,
  webhookHoldMs: 2500,
  throttledTries: 1,
  gatewayErrorTries: 1,
  pendingExpiryMs: 120_000,
};

/** The portal route that receives Microsoft's webhook. */
export const DEFAULT_WEBHOOK_PATH = "/api/marketplace/webhook";
