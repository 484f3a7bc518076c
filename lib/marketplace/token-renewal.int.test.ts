/**
 * A 403 from the marketplace API (marketplace-contract.md §10.2: "renew the token once, then
 * alert"): the portal's own client, with its real token provider (MSAL against the sandbox's
 * Entra), tries once more with a token fresh from Entra — never from MSAL's cache — and only once.
 * The sandbox's `revokeToken` fault refuses the token the call first carried, as Microsoft does
 * with a token it no longer takes, and lets a fresh one through.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { disconnectDatabase } from "@/lib/db";
import { marketplace } from "@/lib/marketplace";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };

async function activeSubscription() {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  await activateSubscription({
    subscriptionId: purchase.subscriptionId,
    accountConfig: {
      companyName: "Fabrikam",
      contactName: "Alice",
      contactEmail: "a@fabrikam.example",
      acceptTerms: "on",
    },
    actor: alice,
  });
  return purchase.subscriptionId;
}

afterEach(async () => {
  await sandbox.clearFaults();
});
afterAll(async () => {
  await disconnectDatabase();
});

describe("a 403 from the marketplace API", () => {
  it("is answered by one more try with a fresh token; the read succeeds", async () => {
    const id = await activeSubscription();
    const since = new Date();
    await sandbox.addFault({
      method: "GET",
      pathPattern: `/api/saas/subscriptions/${id}$`,
      status: 403,
      revokeToken: true,
      times: 10,
    });
    await expect(marketplace().getSubscription(id)).resolves.toMatchObject({
      id,
      saasSubscriptionStatus: "Subscribed",
    });
    const calls = await sandbox.calls({ since, operation: "getSubscription", subscriptionId: id });
    expect(calls.map((call) => call.status)).toEqual([403, 200]);
  });

  it("a plan change refused with 403 (not processed) is sent once more with a fresh token, and reaches Microsoft once", async () => {
    const id = await activeSubscription();
    const since = new Date();
    await sandbox.addFault({
      method: "PATCH",
      pathPattern: `/api/saas/subscriptions/${id}$`,
      status: 403,
      revokeToken: true,
      times: 10,
    });
    await expect(marketplace().changeQuantity(id, 7)).resolves.toMatchObject({ operationId: expect.any(String) });
    const calls = await sandbox.calls({ since, operation: "updateSubscription", subscriptionId: id });
    expect(calls.map((call) => call.status)).toEqual([403, 202]);
    expect((await sandbox.subscription(id)).operations.filter((op) => op.action === "ChangeQuantity")).toHaveLength(1);
  });

  it("refused again with the fresh token: a forbidden error after exactly one renewal, not a loop", async () => {
    const id = await activeSubscription();
    const since = new Date();
    await sandbox.addFault({ method: "GET", pathPattern: `/api/saas/subscriptions/${id}$`, status: 403, times: 10 });
    await expect(marketplace().getSubscription(id)).rejects.toMatchObject({ kind: "forbidden", status: 403 });
    expect(await sandbox.calls({ since, operation: "getSubscription", subscriptionId: id })).toHaveLength(2);
  });
});
