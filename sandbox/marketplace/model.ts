/**
 * What the marketplace emulator stores. The persisted shapes are parsed with zod on load so a
 * hand-edited or half-written state file fails loudly instead of leaking `undefined` into the API.
 * Wire shapes (what the Fulfillment API returns) live in wire.ts.
 */
import { z } from "zod";

/** The only api-version of the SaaS Fulfillment API v2 (docs §0, §1). */
export const API_VERSION = "2018-08-31";
/** Resource app id of the Marketplace API: the `aud` of the publisher's bearer tokens (docs §0). */
export const MARKETPLACE_API_APP_ID = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
/** Docs §4.3: purchase tokens live 24 hours (the OpenAPI text says one hour; the docs win here). */
export const DEFAULT_TOKEN_TTL_SECONDS = 24 * 60 * 60;

export const subscriptionStatusSchema = z.enum([
  "NotStarted", "PendingFulfillmentStart", "Subscribed", "Suspended", "Unsubscribed",
]);
export type SubscriptionStatus = z.infer<typeof subscriptionStatusSchema>;

export const termUnitSchema = z.enum(["P1M", "P1Y", "P2Y", "P3Y", "P4Y", "P5Y"]);
export type TermUnit = z.infer<typeof termUnitSchema>;

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
  termUnit: termUnitSchema,
  termStartDate: z.string().optional(),
  termEndDate: z.string().optional(),
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
   * `Subscribed` at this instant (docs §6.2: activation is processed asynchronously).
   */
  activationDueAt: z.string().optional(),
});
export type StoredSubscription = z.infer<typeof storedSubscriptionSchema>;

export const operationActionSchema = z.enum(["Unsubscribe", "ChangePlan", "ChangeQuantity", "Suspend", "Reinstate", "Renew"]);
export type OperationAction = z.infer<typeof operationActionSchema>;
export const operationStatusSchema = z.enum(["NotStarted", "InProgress", "Succeeded", "Failed", "Conflict"]);
export type OperationStatus = z.infer<typeof operationStatusSchema>;

export const storedOperationSchema = z.object({
  id: z.string(),
  activityId: z.string(),
  subscriptionId: z.string(),
  offerId: z.string(),
  publisherId: z.string(),
  /** Target plan (ChangePlan) or the current plan (other actions), as in the webhook payload (docs §8.3). */
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
  /** How it ended: on its own (timer), or by the ISV's PATCH acknowledgement. */
  settledBy: z.enum(["timer", "acknowledgement"]).optional(),
});
export type StoredOperation = z.infer<typeof storedOperationSchema>;

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
});
export type MarketplaceState = z.infer<typeof marketplaceStateSchema>;

export function emptyState(): MarketplaceState {
  return { version: 1, subscriptions: [], operations: [], purchaseTokens: [] };
}

export interface EmulatorSettings {
  /** How long PATCH/DELETE operations stay InProgress before completing on their own. */
  operationDelayMs: number;
  /** How long an accepted Activate keeps showing PendingFulfillmentStart. */
  activationDelayMs: number;
  /** The next N operations created end `Failed`. */
  failNextOperations: number;
}

export const DEFAULT_SETTINGS: EmulatorSettings = {
  operationDelayMs: 2000,
  activationDelayMs: 0,
  failNextOperations: 0,
};
