/**
 * Standard Webhooks signing (https://www.standardwebhooks.com, with the `standardwebhooks`
 * library): `webhook-id`, `webhook-timestamp` (this attempt, Unix seconds) and `webhook-signature`,
 * one `v1,<base64 HMAC-SHA256>` per secret, space-separated — during a secret rotation's overlap
 * both the new and the previous secret sign, so a receiver holding either verifies.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

export const SECRET_PREFIX = "whsec_";

/** A new signing secret: `whsec_` and 32 random bytes in base64 (the form the spec and its libraries read). */
export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export function signEvent(options: {
  id: string;
  timestamp: Date;
  body: string;
  secrets: readonly string[];
}): SignedHeaders {
  if (options.secrets.length === 0) throw new Error("An event needs at least one secret to be signed with.");
  return {
    "webhook-id": options.id,
    "webhook-timestamp": String(Math.floor(options.timestamp.getTime() / 1000)),
    "webhook-signature": options.secrets
      .map((secret) => new Webhook(secret).sign(options.id, options.timestamp, options.body))
      .join(" "),
  };
}

/** The secrets that sign now: the current one, and the previous one while its overlap lasts. */
export function signingSecrets(
  endpoint: { secret: string; previousSecret: string | null; previousSecretExpiresAt: Date | null },
  now: Date,
): string[] {
  return endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now
    ? [endpoint.secret, endpoint.previousSecret]
    : [endpoint.secret];
}
