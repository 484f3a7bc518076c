import "server-only";
import { marketplace, type CallOptions, type MarketplaceSubscription } from "../marketplace";

/**
 * Microsoft's view of a subscription together with the moment we asked for it. Two reads can
 * finish out of order (a slow poll for an old operation, a webhook job, reconciliation), so
 * syncSubscription uses `readAt` to refuse a snapshot older than the one already applied.
 */
export interface SubscriptionSnapshot {
  subscription: MarketplaceSubscription;
  /** Taken before the request left: the state Microsoft returned is at least this recent. */
  readAt: Date;
}

export async function readSubscription(
  subscriptionId: string,
  options: CallOptions = {},
): Promise<SubscriptionSnapshot> {
  const readAt = new Date();
  const subscription = await marketplace().getSubscription(subscriptionId, options);
  return { subscription, readAt };
}
