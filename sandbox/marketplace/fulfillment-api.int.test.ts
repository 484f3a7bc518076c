import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARKETPLACE_API_APP_ID } from "./model";
import {
  ALICE,
  buy,
  buyActive,
  CARL,
  FULFILLMENT_APP,
  PUBLISHER_TENANT,
  SIGN_IN_APP,
  startEmulator,
  waitFor,
  type RunningEmulator,
} from "./test-harness";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

describe("every call", () => {
  it("lists with an empty body while there are no subscriptions (marketplace-contract.md §6.3)", async () => {
    const reply = await emu.api("GET", "/api/saas/subscriptions");
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("");
  });

  it("requires api-version=2018-08-31", async () => {
    const missing = await emu.api("GET", "/api/saas/subscriptions", { apiVersion: null });
    expect(missing.status).toBe(400);
    expect(missing.json<{ error: { message: string } }>().error.message).toMatch(/api-version/);
    const wrong = await emu.api("GET", "/api/saas/subscriptions", { apiVersion: "2018-09-15" });
    expect(wrong.status).toBe(400);
  });

  it.each([
    ["no token", async () => null],
    ["a malformed token", async () => "not-a-jwt"],
    [
      "a forged token",
      async () =>
        emu.idp.signForged({
          tid: PUBLISHER_TENANT,
          clientId: FULFILLMENT_APP,
          audience: MARKETPLACE_API_APP_ID,
          version: 1,
        }),
    ],
    ["an expired token", async () => emu.publisherToken({ lifetimeSeconds: -120 })],
    ["a token for another audience", async () => emu.publisherToken({ audience: FULFILLMENT_APP })],
    ["a token of an app that is not the offer's", async () => emu.publisherToken({ clientId: SIGN_IN_APP })],
    ["a token issued by another tenant", async () => emu.publisherToken({ tid: CARL.tid })],
  ])("answers 403 with an error body for %s (§2.4)", async (_name, token) => {
    const reply = await emu.api("GET", "/api/saas/subscriptions", { token: await token() });
    expect(reply.status).toBe(403);
    const body = reply.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe("Forbidden");
    expect(body.error.message).not.toBe("");
  });

  it("accepts v2 tokens (azp) as well as v1 tokens (appid)", async () => {
    const reply = await emu.api("GET", "/api/saas/subscriptions", { token: await emu.publisherToken({ version: 2 }) });
    expect(reply.status).toBe(200);
  });

  it("echoes x-ms-requestid / x-ms-correlationid and generates them when missing", async () => {
    const echoed = await emu.api("GET", "/api/saas/subscriptions", {
      headers: {
        "x-ms-requestid": "11111111-aaaa-4aaa-8aaa-111111111111",
        "x-ms-correlationid": "22222222-bbbb-4bbb-8bbb-222222222222",
      },
    });
    expect(echoed.headers["x-ms-requestid"]).toBe("11111111-aaaa-4aaa-8aaa-111111111111");
    expect(echoed.headers["x-ms-correlationid"]).toBe("22222222-bbbb-4bbb-8bbb-222222222222");
    const generated = await emu.api("GET", "/api/saas/subscriptions", { token: null });
    expect(generated.headers["x-ms-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers["x-ms-correlationid"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 404 for unknown subscriptions and API paths", async () => {
    expect((await emu.api("GET", "/api/saas/subscriptions/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await emu.api("GET", "/api/saas/nothing-here")).status).toBe(404);
  });
});

describe("purchase → resolve → activate", () => {
  it("resolves the URL-decoded token and activates the subscription", async () => {
    const purchase = await buy(emu, {
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 5,
      name: "Fabrikam analytics",
    });
    expect(purchase.token).toMatch(/\+/);
    expect(purchase.token).toMatch(/\//);
    expect(purchase.token).toMatch(/=/);
    const landing = new URL(purchase.landingUrl);
    expect(landing.origin + landing.pathname).toBe("http://localhost:3000/landing");
    expect(purchase.landingUrl).toContain(`token=${encodeURIComponent(purchase.token)}`);

    // What a portal does: URLSearchParams decodes once; that value goes into the header.
    const token = landing.searchParams.get("token") ?? "";
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(resolved.status).toBe(200);
    const body = resolved.json<{
      id: string;
      subscriptionName: string;
      offerId: string;
      planId: string;
      quantity: number;
      subscription: Record<string, unknown>;
    }>();
    expect(body).toMatchObject({
      id: purchase.subscriptionId,
      subscriptionName: "Fabrikam analytics",
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 5,
    });
    expect(body.subscription).toMatchObject({
      id: purchase.subscriptionId,
      publisherId: "contoso-software",
      saasSubscriptionStatus: "PendingFulfillmentStart",
      beneficiary: { emailId: "alice@fabrikam.example", objectId: ALICE.oid, tenantId: ALICE.tid },
      purchaser: { emailId: "alice@fabrikam.example", objectId: ALICE.oid, tenantId: ALICE.tid },
      term: { termUnit: "P1M", chargeDuration: null },
      autoRenew: true,
      isTest: false,
      isFreeTrial: false,
      allowedCustomerOperations: ["Delete", "Update", "Read"],
      sandboxType: "None",
      sessionMode: "None",
    });
    expect(body.subscription.term).not.toHaveProperty("startDate");

    const activation = await emu.api("POST", `/api/saas/subscriptions/${purchase.subscriptionId}/activate`, {
      body: { planId: "pro-seats", quantity: 5 },
    });
    expect(activation.status).toBe(200);
    expect(activation.text).toBe("");

    const got = await emu.api("GET", `/api/saas/subscriptions/${purchase.subscriptionId}`);
    const subscription = got.json<{
      saasSubscriptionStatus: string;
      quantity: number;
      term: { startDate: string; endDate: string };
    }>();
    expect(subscription.saasSubscriptionStatus).toBe("Subscribed");
    expect(subscription.quantity).toBe(5);
    const today = new Date();
    const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    expect(subscription.term.startDate).toBe(start.toISOString().replace(".000Z", "Z"));
    const end = new Date(subscription.term.endDate);
    expect(end.getTime()).toBeGreaterThan(start.getTime() + 26 * 86_400_000);
    expect(end.getTime()).toBeLessThan(start.getTime() + 31 * 86_400_000);

    const again = await emu.api("POST", `/api/saas/subscriptions/${purchase.subscriptionId}/activate`, {
      body: { planId: "pro-seats", quantity: 5 },
    });
    expect(again.status).toBe(200);

    // Resolve keeps working after activation (a "Manage" visit, §4.4).
    const manage = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(
      manage.json<{ subscription: { saasSubscriptionStatus: string } }>().subscription.saasSubscriptionStatus,
    ).toBe("Subscribed");
  });

  it("rejects an activation with another plan or quantity, and flat plans carry no quantity", async () => {
    const { subscriptionId } = await buy(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 3 });
    const path = `/api/saas/subscriptions/${subscriptionId}/activate`;
    expect((await emu.api("POST", path, { body: { planId: "basic" } })).status).toBe(400);
    expect((await emu.api("POST", path, { body: { planId: "pro-seats", quantity: 4 } })).status).toBe(400);
    expect((await emu.api("POST", path, { body: "{not json" })).status).toBe(400);
    expect((await emu.api("POST", path)).status).toBe(400);

    const flat = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": flat.token },
    });
    expect(resolved.json()).not.toHaveProperty("quantity");
    expect(resolved.json<{ subscription: object }>().subscription).not.toHaveProperty("quantity");
  });

  it("keeps showing PendingFulfillmentStart during activationDelayMs", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { activationDelayMs: 400 } });
    try {
      const { subscriptionId } = await buy(emu, { offerId: "contoso-backup", planId: "premium" });
      expect(
        (await emu.api("POST", `/api/saas/subscriptions/${subscriptionId}/activate`, { body: { planId: "premium" } }))
          .status,
      ).toBe(200);
      const right = await emu.api("GET", `/api/saas/subscriptions/${subscriptionId}`);
      expect(right.json<{ saasSubscriptionStatus: string }>().saasSubscriptionStatus).toBe("PendingFulfillmentStart");
      expect(
        (await emu.api("POST", `/api/saas/subscriptions/${subscriptionId}/activate`, { body: { planId: "premium" } }))
          .status,
      ).toBe(200);
      await waitFor(async () => {
        const reply = await emu.api("GET", `/api/saas/subscriptions/${subscriptionId}`);
        return reply.json<{ saasSubscriptionStatus: string }>().saasSubscriptionStatus === "Subscribed"
          ? true
          : undefined;
      });
    } finally {
      await emu.request("POST", "/sandbox-api/settings", { body: { activationDelayMs: 0 } });
    }
  });

  it("answers 404 when activating an unknown subscription", async () => {
    const reply = await emu.api("POST", "/api/saas/subscriptions/00000000-0000-4000-8000-000000000000/activate", {
      body: { planId: "basic" },
    });
    expect(reply.status).toBe(404);
  });
});

describe("resolve errors (§6.1)", () => {
  it.each([
    ["an unknown token", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo+/w=="],
    ["a malformed token", "not a token!"],
  ])("answers 400 for %s", async (_name, token) => {
    const reply = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(reply.status).toBe(400);
    expect(reply.json<{ error: { message: string } }>().error.message).toMatch(/token/);
  });

  it("answers 400 for a missing header and for a token that is still URL-encoded", async () => {
    expect((await emu.api("POST", "/api/saas/subscriptions/resolve")).status).toBe(400);
    const { token } = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    const encoded = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": encodeURIComponent(token) },
    });
    expect(encoded.status).toBe(400);
    expect(encoded.json<{ error: { message: string } }>().error.message).toMatch(/URL-encoded/);
    const spaced = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token.replaceAll("+", " ") },
    });
    expect(spaced.status).toBe(400);
  });

  it("answers 400 for an expired token, and a fresh token for the same subscription works", async () => {
    const { subscriptionId, token } = await buy(emu, {
      offerId: "contoso-backup",
      planId: "standard",
      tokenTtlSeconds: 0,
    });
    const expired = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(expired.status).toBe(400);
    expect(expired.json<{ error: { message: string } }>().error.message).toMatch(/expired/);

    const fresh = await emu.request("POST", `/sandbox-api/subscriptions/${subscriptionId}/token`, { body: {} });
    expect(fresh.status).toBe(201);
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": fresh.json<{ token: string }>().token },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.json<{ id: string }>().id).toBe(subscriptionId);
  });
});

describe("listAvailablePlans (§6.5)", () => {
  it("lists the offer's plans in the Plan schema, or only the requested one", async () => {
    const subscriptionId = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const all = await emu.api("GET", `/api/saas/subscriptions/${subscriptionId}/listAvailablePlans`);
    expect(all.status).toBe(200);
    const plans = all.json<{ plans: Array<Record<string, unknown>> }>().plans;
    expect(plans.map((p) => p.planId)).toEqual(["basic", "pro-seats", "enterprise-seats"]);
    expect(plans[0]).toMatchObject({
      displayName: "Basic",
      isPricePerSeat: false,
      hasFreeTrials: true,
      isPrivate: false,
      isStopSell: false,
      planComponents: {
        recurrentBillingTerms: [
          { currency: "USD", price: 99, termUnit: "P1M", termDescription: "1 month", meteredQuantityIncluded: [] },
        ],
        meteringDimensions: [
          {
            id: "reports",
            currency: "USD",
            pricePerUnit: 0.5,
            unitOfMeasure: "report",
            displayName: "Scheduled reports",
          },
        ],
      },
    });
    expect(plans[0]).not.toHaveProperty("minQuantity");
    expect(plans[2]).toMatchObject({ minQuantity: 10, maxQuantity: 5000, isPricePerSeat: true });

    const one = await emu.api("GET", `/api/saas/subscriptions/${subscriptionId}/listAvailablePlans?planId=pro-seats`);
    expect(one.json<{ plans: Array<{ planId: string }> }>().plans.map((p) => p.planId)).toEqual(["pro-seats"]);
    const none = await emu.api("GET", `/api/saas/subscriptions/${subscriptionId}/listAvailablePlans?planId=gold`);
    expect(none.json()).toEqual({ plans: [] });
  });
});

describe("list subscriptions (§6.3)", () => {
  it("pages by 100 with an absolute @nextLink", async () => {
    const existing = (await emu.request("GET", "/sandbox-api/subscriptions")).json<{ subscriptions: unknown[] }>()
      .subscriptions.length;
    const toCreate = 150 - existing;
    for (let i = 0; i < toCreate; i += 1)
      await buy(emu, { offerId: "contoso-backup", planId: "standard", name: `Bulk ${i}` });

    const first = await emu.api("GET", "/api/saas/subscriptions");
    const page1 = first.json<{ subscriptions: Array<{ id: string }>; "@nextLink"?: string }>();
    expect(page1.subscriptions).toHaveLength(100);
    const nextLink = page1["@nextLink"] ?? "";
    expect(nextLink.startsWith(`${emu.baseUrl}/api/saas/subscriptions/?continuationToken=`)).toBe(true);
    expect(new URL(nextLink).searchParams.get("api-version")).toBe("2018-08-31");

    const second = await emu.api("GET", nextLink);
    const page2 = second.json<{ subscriptions: Array<{ id: string }>; "@nextLink"?: string }>();
    expect(page2.subscriptions).toHaveLength(50);
    expect(page2["@nextLink"]).toBeUndefined();
    const ids = new Set([...page1.subscriptions, ...page2.subscriptions].map((s) => s.id));
    expect(ids.size).toBe(150);

    const trailingSlash = await emu.api("GET", "/api/saas/subscriptions/");
    expect(trailingSlash.json<{ subscriptions: unknown[] }>().subscriptions).toHaveLength(100);
    expect((await emu.api("GET", "/api/saas/subscriptions?continuationToken=garbage")).status).toBe(400);
  });
});
