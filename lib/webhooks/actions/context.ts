import type { Subscription, WebhookEvent } from "../../generated/prisma/client";
import type { MarketplaceOperation } from "../../marketplace/schemas";

export interface WebhookContext {
  event: WebhookEvent;
  /** Microsoft's view of the operation (Get Operation), already matched against the payload. */
  operation: MarketplaceOperation;
  subscription: Subscription;
}

export interface WebhookOutcome {
  status: "applied" | "refused" | "ignored" | "stale";
  message: string;
}

export const marketplaceActor = { actorType: "marketplace" as const };
