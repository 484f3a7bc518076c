/**
 * Subscriptions for the events tests, written through the one write path (syncSubscription) from
 * a made-up Microsoft snapshot, so the events are the real ones; no sandbox needed.
 */
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { MarketplaceSubscription } from "@/lib/marketplace";
import { syncSubscription } from "@/lib/subscriptions/sync-subscription";
import { seeded } from "./sandbox-env";

export function snapshotOf(overrides: Partial<MarketplaceSubscription> = {}): MarketplaceSubscription {
  return {
    id: randomUUID(),
    offerId: "contoso-analytics",
    planId: "basic",
    name: "Events test",
    saasSubscriptionStatus: "PendingFulfillmentStart",
    quantity: undefined,
    beneficiary: { tenantId: seeded.alice.tid, objectId: seeded.alice.oid, emailId: seeded.alice.email },
    purchaser: { tenantId: seeded.alice.tid, objectId: seeded.alice.oid, emailId: seeded.alice.email },
    term: { termUnit: "P1M" },
    autoRenew: true,
    isTest: false,
    isFreeTrial: false,
    allowedCustomerOperations: ["Read", "Update", "Delete"],
    created: undefined,
    lastModified: undefined,
    ...overrides,
  };
}

/** Applies Microsoft's (made-up) view of a subscription, as a webhook job or reconciliation would. */
export async function syncFrom(snapshot: MarketplaceSubscription) {
  return db().$transaction((tx) =>
    syncSubscription(tx, {
      snapshot: { subscription: snapshot, readAt: new Date() },
      actor: { actorType: "marketplace" },
      reason: "events test",
    }),
  );
}
