import type { Subscription, WebhookEvent } from "../../generated/prisma/client";
import type { MarketplaceOperation } from "../../marketplace/schemas";
import type { SubscriptionSnapshot } from "../../subscriptions/read-subscription";
import type { KnownAction } from "../webhook-payload";

export interface WebhookContext {
  /** The delivery's action, one we act on (webhook-payload.ts knownActions; Subscribe has its own context). */
  action: Exclude<KnownAction, "Subscribe">;
  event: WebhookEvent;
  /** Microsoft's view of the operation (Get Operation), already matched against the payload. */
  operation: MarketplaceOperation;
  subscription: Subscription;
  /** Microsoft's subscription when this job already read it (a subscription new to us); handlers reuse it. */
  snapshot?: SubscriptionSnapshot;
}

export interface WebhookOutcome {
  status: "applied" | "refused" | "ignored" | "stale" | "unconfirmed" | "duplicate";
  message: string;
}

export const marketplaceActor = { actorType: "marketplace" as const };
