/**
 * What an event says about its subscription (README “Events”, the `subscription` object): the
 * entitlements API's object for it, as it stands once the change is written — one shape for the
 * product whether it reads the API or receives an event — plus two fields only events carry:
 * what the buyer typed into the account configuration, and when a cancelled subscription's
 * personal data goes.
 */
import "server-only";
import type { Entitlement } from "../entitlements/entitlement-schemas";
import { toEntitlement } from "../entitlements/to-entitlement";
import type { Subscription } from "../generated/prisma/client";

export interface EventSubscription extends Entitlement {
  /** What the buyer entered when setting up the account; null before that, and after the data was purged. */
  accountConfiguration: Record<string, unknown> | null;
  /** Cancelled subscriptions: personal data is removed after this instant. */
  dataRetainedUntil: string | null;
}

export function eventSubscriptionOf(subscription: Subscription): EventSubscription {
  const config = subscription.accountConfig;
  return {
    ...toEntitlement(subscription),
    accountConfiguration: config !== null && typeof config === "object" && !Array.isArray(config) ? config : null,
    dataRetainedUntil: subscription.dataRetainedUntil?.toISOString() ?? null,
  };
}
