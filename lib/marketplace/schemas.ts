/**
 * Schemas of the Fulfillment API v2 (Microsoft's OpenAPI saasapi.v2.json), lenient where
 * Microsoft is known to be loose (marketplace-contract.md §5): extra fields are kept, status values
 * are trimmed, quantity may be "" or absent for flat-rate plans, dates may be date-only.
 */
import { z } from "zod";

export const subscriptionStatuses = [
  "NotStarted",
  "PendingFulfillmentStart",
  "Subscribed",
  "Suspended",
  "Unsubscribed",
] as const;
export type MarketplaceSubscriptionStatus = (typeof subscriptionStatuses)[number];

/** The status when it is one we know; undefined for a value Microsoft added since. */
export function knownSubscriptionStatus(value: string): MarketplaceSubscriptionStatus | undefined {
  return (subscriptionStatuses as readonly string[]).includes(value)
    ? (value as MarketplaceSubscriptionStatus)
    : undefined;
}

/**
 * An enum Microsoft may extend: a known value is recognised whatever its case and stray spaces
 * (doc samples have both); an unknown one is carried as the string it is, so a new value never
 * breaks a page, a job or an export (marketplace-contract.md §15.12). Callers branch on known values.
 */
const openEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((value): T[number] | (string & {}) => {
    const trimmed = value.trim();
    return values.find((known) => known.toLowerCase() === trimmed.toLowerCase()) ?? trimmed;
  });

/** Microsoft documents `{ "<key>": [...] }`; some answers are the bare array (§15): both are read. */
const wrapBareArray = (key: string) => (value: unknown) => (Array.isArray(value) ? { [key]: value } : value);

/** Quantity: an integer, or nothing for flat-rate plans ("" and null included). */
const optionalQuantity = z.preprocess(
  (value) => (value === "" || value === null ? undefined : typeof value === "string" ? Number(value) : value),
  z.number().int().nonnegative().optional(),
);

/** Date-time or date-only string → Date; "0001-01-01..." (Microsoft's "unset") → undefined. */
const optionalDate = z.preprocess((value) => {
  if (value === null || value === undefined || value === "") return undefined;
  if (typeof value === "string" && value.startsWith("0001-01-01")) return undefined;
  return value;
}, z.coerce.date().optional());

export const aadIdentifierSchema = z.looseObject({
  emailId: z.string().nullish(),
  objectId: z.string().nullish(),
  tenantId: z.string().nullish(),
  puid: z.string().nullish(),
});
export type AadIdentifier = z.infer<typeof aadIdentifierSchema>;

export const termSchema = z.looseObject({
  termUnit: z.string().nullish(),
  startDate: optionalDate,
  endDate: optionalDate,
  chargeDuration: z.string().nullish(),
});

/** Subscription ids are GUIDs: lower-cased once here, so every table, URL and comparison uses one form. */
const subscriptionId = z
  .string()
  .min(1)
  .transform((id) => id.toLowerCase());

export const subscriptionSchema = z.looseObject({
  id: subscriptionId,
  publisherId: z.string().nullish(),
  offerId: z.string().min(1),
  name: z.string().nullish(),
  saasSubscriptionStatus: openEnum(subscriptionStatuses),
  beneficiary: aadIdentifierSchema.nullish(),
  purchaser: aadIdentifierSchema.nullish(),
  planId: z.string().min(1),
  quantity: optionalQuantity,
  term: termSchema.nullish(),
  autoRenew: z.boolean().nullish(),
  isTest: z.boolean().nullish(),
  isFreeTrial: z.boolean().nullish(),
  allowedCustomerOperations: z.array(z.string()).nullish(),
  sandboxType: z.string().nullish(),
  sessionMode: z.string().nullish(),
  created: optionalDate,
  lastModified: optionalDate,
});
export type MarketplaceSubscription = z.infer<typeof subscriptionSchema>;

export const resolvedSubscriptionSchema = z.looseObject({
  id: subscriptionId,
  subscriptionName: z.string().nullish(),
  offerId: z.string().min(1),
  planId: z.string().min(1),
  quantity: optionalQuantity,
  subscription: subscriptionSchema,
});
export type ResolvedSubscription = z.infer<typeof resolvedSubscriptionSchema>;

export const subscriptionsResponseSchema = z.preprocess(
  wrapBareArray("subscriptions"),
  z.looseObject({ subscriptions: z.array(subscriptionSchema).default([]), "@nextLink": z.string().nullish() }),
);

export const meteringDimensionSchema = z.looseObject({
  id: z.string(),
  currency: z.string().nullish(),
  pricePerUnit: z.number().nullish(),
  unitOfMeasure: z.string().nullish(),
  displayName: z.string().nullish(),
});

export const planSchema = z.looseObject({
  planId: z.string().min(1),
  displayName: z.string().nullish(),
  isPrivate: z.boolean().nullish(),
  description: z.string().nullish(),
  minQuantity: z.number().int().nullish(),
  maxQuantity: z.number().int().nullish(),
  hasFreeTrials: z.boolean().nullish(),
  isPricePerSeat: z.boolean().nullish(),
  isStopSell: z.boolean().nullish(),
  market: z.string().nullish(),
  planComponents: z
    .looseObject({
      recurrentBillingTerms: z
        .array(
          z.looseObject({
            currency: z.string().nullish(),
            price: z.number().nullish(),
            termUnit: z.string().nullish(),
            termDescription: z.string().nullish(),
          }),
        )
        .nullish(),
      meteringDimensions: z.array(meteringDimensionSchema).nullish(),
    })
    .nullish(),
});
export type Plan = z.infer<typeof planSchema>;

export const subscriptionPlansSchema = z.preprocess(
  wrapBareArray("plans"),
  z.looseObject({ plans: z.array(planSchema).default([]) }),
);

export const operationStatuses = ["NotStarted", "InProgress", "Succeeded", "Failed", "Conflict"] as const;
export type OperationStatus = (typeof operationStatuses)[number];

/** Final at Microsoft: Succeeded, Failed, Conflict. Anything else (NotStarted, InProgress, a value added since) is still open. */
export function isFinalOperationStatus(status: string): status is "Succeeded" | "Failed" | "Conflict" {
  return status === "Succeeded" || status === "Failed" || status === "Conflict";
}

export const operationSchema = z.looseObject({
  id: z.string().min(1),
  activityId: z.string().nullish(),
  subscriptionId,
  offerId: z.string().nullish(),
  publisherId: z.string().nullish(),
  planId: z.string().nullish(),
  quantity: optionalQuantity,
  // Unknown actions are kept as strings: Microsoft has sent undocumented ones (Subscribe, Transfer).
  action: z.string().trim(),
  timeStamp: optionalDate,
  status: openEnum(operationStatuses),
  errorStatusCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
});
export type MarketplaceOperation = z.infer<typeof operationSchema>;

export const operationListSchema = z.preprocess(
  wrapBareArray("operations"),
  z.looseObject({ operations: z.array(operationSchema).default([]) }),
);

export const subscriberPlanSchema = z.object({
  planId: z.string().min(1),
  quantity: z.number().int().positive().optional(),
});
export type SubscriberPlan = z.infer<typeof subscriberPlanSchema>;

// Metering Service API (Microsoft's OpenAPI meteringapi.v1.json, marketplace-contract.md §9) ------

/** What we send (`UsageEvent`): SaaS uses `resourceId` = the subscription id, never `resourceUri` (§9.6). */
export const usageEventSchema = z.object({
  resourceId: z.string().min(1),
  quantity: z.number().positive().finite(),
  dimension: z.string().min(1),
  /** UTC; Microsoft takes at most 24 h of history (§9.1). */
  effectiveStartTime: z.date(),
  planId: z.string().min(1),
});
export type UsageEvent = z.infer<typeof usageEventSchema>;

/** `UsageEventOkResponse` / the echoed fields of a batch item. Duplicates carry messageTime "0001-01-01T00:00:00" (§9.3). */
export const usageEventResultSchema = z.looseObject({
  usageEventId: z.string().nullish(),
  status: z.string().trim(),
  messageTime: optionalDate,
  resourceId: z.string().nullish(),
  resourceUri: z.string().nullish(),
  quantity: z.number().nullish(),
  dimension: z.string().nullish(),
  effectiveStartTime: optionalDate,
  planId: z.string().nullish(),
});
export type UsageEventResult = z.infer<typeof usageEventResultSchema>;

/** `UsageEventConflictResponse`: the 409 body and the `error` of a non-accepted batch item (§3.2, §9.2). */
export const usageEventErrorSchema = z.looseObject({
  code: z.string().nullish(),
  message: z.string().nullish(),
  target: z.string().nullish(),
  additionalInfo: z.looseObject({ acceptedMessage: usageEventResultSchema.nullish() }).nullish(),
  details: z
    .array(z.looseObject({ code: z.string().nullish(), message: z.string().nullish(), target: z.string().nullish() }))
    .nullish(),
});
export type UsageEventError = z.infer<typeof usageEventErrorSchema>;

export const batchUsageEventItemSchema = usageEventResultSchema.extend({ error: usageEventErrorSchema.nullish() });
export type BatchUsageEventItem = z.infer<typeof batchUsageEventItemSchema>;

export const batchUsageEventResponseSchema = z.looseObject({
  count: z.number().int().nullish(),
  result: z.array(batchUsageEventItemSchema).default([]),
});

/** `reconStatus` of a usage row (§9.5): the OpenAPI's four and the docs' two; an open list (§15.12). */
export const reconStatuses = ["Submitted", "Accepted", "Rejected", "Mismatch", "TestHeaders", "DryRun"] as const;
export type ReconStatus = (typeof reconStatuses)[number];

/**
 * A time Microsoft documents as UTC: one without an offset is read as UTC (JavaScript would read
 * it as the server's local time). A value that is not a date is undefined, not a failure of the
 * whole list: the row is then one the caller cannot place, and says so.
 */
const utcDate = z
  .preprocess((value) => {
    if (value === null || value === undefined || value === "") return undefined;
    if (typeof value !== "string") return value;
    const text = value.trim();
    if (text.startsWith("0001-01-01")) return undefined;
    return /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
  }, z.coerce.date().optional())
  .catch(undefined);

/** A quantity sent as a number (documented: double) or as a numeric string; anything else is null. */
const looseNumber = z
  .preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value) : value),
    z.number().finite().nullish(),
  )
  .catch(null);

/** `GetUsageEvent` (§9.5): rows of the usage-event listing, per day or per hour (§15.23). */
export const usageEventSummarySchema = z.looseObject({
  usageDate: utcDate,
  usageResourceId: z
    .string()
    .transform((id) => id.trim().toLowerCase())
    .nullish(),
  dimension: z.string().nullish(),
  planId: z.string().nullish(),
  planName: z.string().nullish(),
  offerId: z.string().nullish(),
  offerName: z.string().nullish(),
  offerType: z.string().nullish(),
  azureSubscriptionId: z.string().nullish(),
  reconStatus: openEnum(reconStatuses).nullish().catch(null),
  submittedQuantity: looseNumber,
  processedQuantity: looseNumber,
  submittedCount: looseNumber,
});
export type UsageEventSummary = z.infer<typeof usageEventSummarySchema>;

/**
 * Documented as a bare array; a wrapper (`{ "value": [...] }` or any object holding one array) is
 * read too, and `{}` is no rows (§15.14 the other way round).
 */
const unwrapList = (value: unknown) => {
  if (Array.isArray(value) || value === null || typeof value !== "object") return value;
  const arrays = Object.values(value).filter(Array.isArray);
  if (arrays.length === 1) return arrays[0];
  return Object.keys(value).length === 0 ? [] : value;
};
export const usageEventListSchema = z.preprocess(unwrapList, z.array(usageEventSummarySchema));
