/**
 * How a product checks an event from the portal (README "Events"): the Standard Webhooks
 * signature over `webhook-id.webhook-timestamp.body` with the endpoint's secret (any of them during
 * a rotation), and a timestamp within 5 minutes, by the `standardwebhooks` library. The raw body is
 * verified before it is parsed. A webhook-id verified before is answered 200 again without acting
 * twice (the portal retries and replays with the same id).
 */
import { Webhook, WebhookVerificationError } from "standardwebhooks";

/** Standard Webhooks' body: `type`, `timestamp`, `data`. */
export interface EventBody {
  type?: unknown;
  timestamp?: unknown;
  data?: unknown;
}

export type EventVerdict =
  { ok: true; webhookId: string; body: EventBody } | { ok: false; webhookId: string | null; reason: string };

export function verifyEvent(options: {
  body: string;
  headers: Record<string, string | undefined>;
  secrets: readonly string[];
}): EventVerdict {
  const webhookId = options.headers["webhook-id"] ?? null;
  if (options.secrets.length === 0)
    return {
      ok: false,
      webhookId,
      reason:
        "No endpoint secret is configured: paste the whsec_… secret from the portal's console at /product/settings.",
    };
  const headers = {
    "webhook-id": options.headers["webhook-id"] ?? "",
    "webhook-timestamp": options.headers["webhook-timestamp"] ?? "",
    "webhook-signature": options.headers["webhook-signature"] ?? "",
  };
  let lastReason = "No matching signature found";
  for (const secret of options.secrets) {
    try {
      const body: unknown = new Webhook(secret).verify(options.body, headers);
      if (!body || typeof body !== "object" || Array.isArray(body))
        return { ok: false, webhookId, reason: "The signed body is not a JSON object." };
      return { ok: true, webhookId: headers["webhook-id"], body: body };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError) && !(error instanceof SyntaxError)) throw error;
      lastReason = error instanceof SyntaxError ? "The signed body is not JSON." : error.message;
      // Missing headers or a stale timestamp fail the same way with every secret.
      if (/headers|timestamp|Signature Headers/i.test(lastReason)) break;
    }
  }
  return { ok: false, webhookId, reason: `Signature not verified: ${lastReason}.` };
}
