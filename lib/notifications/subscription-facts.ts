import type { Subscription } from "../generated/prisma/client";
import type { SubscriptionFacts } from "./notification-data";

/** What every message about a subscription says of it. Pure. */
export function subscriptionFactsOf(
  subscription: Pick<Subscription, "id" | "name" | "offerId" | "planId" | "quantity">,
): SubscriptionFacts {
  return {
    subscriptionId: subscription.id,
    subscriptionName: subscription.name?.trim() ? subscription.name : null,
    offerId: subscription.offerId,
    planId: subscription.planId,
    seats: subscription.quantity ?? null,
  };
}
