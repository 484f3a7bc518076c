/**
 * The webhook body (marketplace-api.md §8.3). Lenient, as Microsoft asks: unknown fields are kept,
 * status strings are trimmed, quantity may be empty. What we act on is required.
 */
import { z } from "zod";
import { subscriptionSchema } from "../marketplace/schemas";

const optionalQuantity = z.preprocess((value) => (value === "" || value === null ? undefined : value), z.coerce.number().int().nonnegative().optional());

export const webhookPayloadSchema = z.looseObject({
  id: z.string().trim().min(1, "id (the operation id) is required").max(100),
  activityId: z.string().nullish(),
  publisherId: z.string().nullish(),
  offerId: z.string().nullish(),
  planId: z.string().max(200).nullish(),
  quantity: optionalQuantity,
  subscriptionId: z.string().trim().regex(/^[0-9a-f-]{36}$/i, "subscriptionId must be a GUID"),
  timeStamp: z.coerce.date({ error: "timeStamp must be a date-time" }),
  action: z.string().trim().min(1, "action is required").max(50),
  status: z.string().trim().nullish(),
  operationRequestSource: z.string().nullish(),
  // The snapshot is informative only (we re-read Microsoft's state), so a malformed one is dropped, not fatal.
  subscription: subscriptionSchema.nullish().catch(null),
  purchaseToken: z.string().nullish(),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export const knownActions = ["ChangePlan", "ChangeQuantity", "Suspend", "Reinstate", "Unsubscribe", "Renew"] as const;
export type KnownAction = (typeof knownActions)[number];

export function isKnownAction(action: string): action is KnownAction {
  return (knownActions as readonly string[]).includes(action);
}

const PERSONAL_KEYS = /^(emailId|email|puid|objectId)$/i;

/** The payload as we store it: personal data (emails, puid, user object ids) replaced. */
export function redactPayload(value: unknown, depth = 0): unknown {
  if (depth > 8) return null;
  if (Array.isArray(value)) return value.map((item) => redactPayload(item, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, PERSONAL_KEYS.test(key) && item ? "[redacted]" : redactPayload(item, depth + 1)]));
  }
  return value;
}
