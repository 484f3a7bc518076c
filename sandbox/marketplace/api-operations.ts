/**
 * The names of the emulator's `/api` operations: which route answered a call (variants,
 * variant-hooks.ts) and the `operation` of each call-log entry (`GET /sandbox-api/calls?operation=`).
 * A stable vocabulary that tests rely on; no imports here, so test clients can import the names.
 */
export const API_OPERATIONS = [
  // Fulfillment API v2: subscriptions (marketplace-contract.md §6)
  "resolve",
  "listSubscriptions",
  "getSubscription",
  /** PATCH subscription: a plan or seat change. */
  "updateSubscription",
  "deleteSubscription",
  "listAvailablePlans",
  "activate",
  // Operations (§7)
  "listOperations",
  "getOperation",
  /** PATCH operation: the publisher's acknowledgement. */
  "updateOperation",
  // Metering (§9)
  "usageEvent",
  "batchUsageEvent",
  /** GET /api/usageEvents: what Microsoft recorded. */
  "usageEvents",
] as const;

export type ApiOperation = (typeof API_OPERATIONS)[number];
