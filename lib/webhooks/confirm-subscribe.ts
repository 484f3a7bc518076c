import "server-only";
import { isMarketplaceError } from "../marketplace";
import type { MarketplaceSubscription } from "../marketplace/schemas";
import { readSubscription, type SubscriptionSnapshot } from "../subscriptions/read-subscription";
import { webhookPayloadSchema } from "./webhook-payload";

export type SubscribeConfirmation = { ok: true; snapshot: SubscriptionSnapshot } | { ok: false; message: string };

/** Statuses a completed purchase can be in by the time we read it: live, or already suspended or cancelled since. */
const COMPLETED = new Set(["Subscribed", "Suspended", "Unsubscribed"]);

/**
 * The second way to confirm a `Subscribe` delivery, for when Microsoft's Get Operation does not
 * know the operation (marketplace-contract.md §4.7, §15.22; docs/decisions/0008): Get Subscription
 * must show the subscription existing, past activation, for the offer and the purchaser tenant the
 * delivery names. The plan and seats are not compared: the delivery carries them as bought, and a
 * plan or seat change made since (a ChangePlan that overtook a late Subscribe) is newer, not a
 * mismatch. The read is returned: it is the fresh state the subscription converges on.
 * Throws on a transient failure (the job retries).
 */
export async function confirmSubscribeWithSubscription(event: {
  id: string;
  subscriptionId: string;
  payload: unknown;
}): Promise<SubscribeConfirmation> {
  let snapshot: SubscriptionSnapshot;
  try {
    snapshot = await readSubscription(event.subscriptionId, { correlationId: event.id });
  } catch (error) {
    if (isMarketplaceError(error, "not_found"))
      return {
        ok: false,
        message:
          "Microsoft knows neither this operation nor this subscription: the delivery was not confirmed and nothing was changed.",
      };
    throw error;
  }
  const mismatch = compareSubscribe(describeDelivery(event.payload), snapshot.subscription);
  return mismatch
    ? {
        ok: false,
        message: `Microsoft does not know this operation, and its subscription does not match the delivery (${mismatch}); nothing was changed.`,
      }
    : { ok: true, snapshot };
}

/** What a Subscribe delivery says about the purchase: its offer and the purchaser's tenant. */
export function describeDelivery(payload: unknown): { offerId: string | null; purchaserTenantId: string | null } {
  const parsed = webhookPayloadSchema.safeParse(payload);
  if (!parsed.success) return { offerId: null, purchaserTenantId: null };
  return {
    offerId: parsed.data.offerId ?? parsed.data.subscription?.offerId ?? null,
    purchaserTenantId: parsed.data.subscription?.purchaser?.tenantId ?? null,
  };
}

/** Why Microsoft's subscription does not confirm the delivery, or null when it does (pure; unit-tested). */
export function compareSubscribe(
  delivery: { offerId: string | null; purchaserTenantId: string | null },
  remote: MarketplaceSubscription,
): string | null {
  if (!COMPLETED.has(remote.saasSubscriptionStatus))
    return `Microsoft reports it ${remote.saasSubscriptionStatus}, not a completed purchase`;
  if (!delivery.offerId) return "the delivery names no offer";
  if (delivery.offerId !== remote.offerId) return `offer ${delivery.offerId} ≠ ${remote.offerId}`;
  const tenant = remote.purchaser?.tenantId?.toLowerCase();
  if (!delivery.purchaserTenantId) return "the delivery names no purchaser tenant";
  if (!tenant || delivery.purchaserTenantId.toLowerCase() !== tenant)
    return `purchaser tenant ${delivery.purchaserTenantId} ≠ ${tenant ?? "none"}`;
  return null;
}
