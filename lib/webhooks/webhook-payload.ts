/**
 * The webhook body (marketplace-contract.md §8.3). Lenient, as Microsoft asks: unknown fields are kept,
 * status strings are trimmed, quantity may be empty. What we act on is required.
 */
import { z } from "zod";
import { subscriptionSchema } from "../marketplace/schemas";

const optionalQuantity = z.preprocess(
  (value) => (value === "" || value === null ? undefined : value),
  z.coerce.number().int().nonnegative().optional(),
);

export const webhookPayloadSchema = z.looseObject({
  id: z.string().trim().min(1, "id (the operation id) is required").max(100),
  activityId: z.string().nullish(),
  publisherId: z.string().nullish(),
  offerId: z.string().nullish(),
  planId: z.string().max(200).nullish(),
  quantity: optionalQuantity,
  subscriptionId: z
    .string()
    .trim()
    .regex(/^[0-9a-f-]{36}$/i, "subscriptionId must be a GUID"),
  timeStamp: z.coerce.date({ error: "timeStamp must be a date-time" }),
  action: z.string().trim().min(1, "action is required").max(50),
  status: z.string().trim().nullish(),
  operationRequestSource: z.string().nullish(),
  // The snapshot is informative only (we re-read Microsoft's state), so a malformed one is dropped, not fatal.
  subscription: subscriptionSchema.nullish().catch(null),
  purchaseToken: z.string().nullish(),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export const knownActions = [
  "ChangePlan",
  "ChangeQuantity",
  "Suspend",
  "Reinstate",
  "Unsubscribe",
  "Renew",
  // A purchase of an auto-activated plan completed (marketplace-contract.md §4.7, docs/decisions/0008).
  "Subscribe",
] as const;
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
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        PERSONAL_KEYS.test(key) && item ? "[redacted]" : redactPayload(item, depth + 1),
      ]),
    );
  }
  return value;
}

/**
 * Where a parsed body holds text PostgreSQL cannot store or that no genuine delivery contains: a
 * NUL character, a lone surrogate (invalid UTF-16), or U+FFFD (bytes that were not UTF-8).
 * Returns the JSON path of the first such string or key, or null.
 */
export function findUnstorableText(value: unknown, path = "body", depth = 0): string | null {
  if (depth > 32) return null;
  if (typeof value === "string") return isStorable(value) ? null : path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, `${path}[${index}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorable(key)) return `${path} (a key)`;
      const found = findUnstorableText(item, `${path}.${key}`, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isStorable(text: string): boolean {
  return !text.includes("\u0000") && !text.includes("\uFFFD") && !LONE_SURROGATE.test(text);
}
