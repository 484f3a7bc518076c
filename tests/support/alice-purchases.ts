/**
 * Alice's purchases in the sandbox, resolved (and activated) through the portal's own code: the
 * starting point of the integration tests that play Microsoft's variants against a subscription.
 */
import { db } from "@/lib/db";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { sandboxControl } from "./sandbox-control";
import { seeded } from "./sandbox-env";
import { until } from "./until";

/** Alice as a buyer (no app roles). */
export const alice = { ...seeded.alice, roles: [] };

/** The account form's answers for Contoso Analytics. */
export const aliceAccountConfig = {
  companyName: "Fabrikam",
  contactName: "Alice",
  contactEmail: "alice@fabrikam.example",
  acceptTerms: "on" as const,
};

/** The portal's copy of a subscription. */
export const localSubscription = (id: string) => db().subscription.findUniqueOrThrow({ where: { id } });

/** A Professional (per user) purchase for Alice, resolved on the landing page: its subscription id. */
export async function purchasedByAlice(quantity = 5): Promise<string> {
  const purchase = await sandboxControl().purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  return purchase.subscriptionId;
}

/** The same, activated, once the portal's copy is Subscribed. */
export async function activeForAlice(quantity = 5): Promise<string> {
  const id = await purchasedByAlice(quantity);
  await activateSubscription({ subscriptionId: id, accountConfig: aliceAccountConfig, actor: alice });
  await until(
    () => localSubscription(id),
    (row) => row.status === "Subscribed",
    "activated",
  );
  return id;
}
