/**
 * Auto-activated plans (marketplace-contract.md §4.7): buying makes the subscription `Subscribed`
 * at once, records a `Subscribe` operation and sends its signed webhook; the buyer still gets a
 * landing token. Classic plans are unchanged. Variant subscribe-operation-unknown (§15.22).
 */
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ALICE,
  FULFILLMENT_APP,
  LANDING_URL,
  NINA,
  PUBLISHER_TENANT,
  startEmulator,
  waitFor,
  type RunningEmulator,
  type WebhookSink,
} from "./test-harness";

const MARKETPLACE_APP = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";

let emu: RunningEmulator;
let sink: WebhookSink;

beforeAll(async () => {
  emu = await startEmulator({ settings: { webhookBackoffMs: 50, webhookMaxAttempts: 3 } });
  if (!emu.webhooks) throw new Error("the harness starts a webhook sink");
  sink = emu.webhooks;
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  sink.respond(undefined);
  await emu.request("POST", "/sandbox-api/variants", { body: { enabled: [] } });
});

interface PurchaseAnswer {
  subscriptionId: string;
  token: string;
  landingUrl: string;
  autoActivated: boolean;
  subscribeOperationId: string | null;
  subscribeDeliveryId: string | null;
}

interface SubscriptionBody {
  id: string;
  planId: string;
  quantity?: number;
  saasSubscriptionStatus: string;
  lastModified: string;
  term: { termUnit: string; startDate?: string; endDate?: string; chargeDuration: string | null };
}

async function purchase(body: Record<string, unknown>): Promise<PurchaseAnswer> {
  const reply = await emu.request("POST", "/sandbox-api/purchases", { body: { beneficiary: ALICE, ...body } });
  expect(reply.status).toBe(201);
  return reply.json<PurchaseAnswer>();
}

async function getSubscription(id: string): Promise<SubscriptionBody> {
  const reply = await emu.api("GET", `/api/saas/subscriptions/${id}`);
  expect(reply.status).toBe(200);
  return reply.json<SubscriptionBody>();
}

function todayUtc(): string {
  return `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
}

describe("buying an auto-activated plan", () => {
  it("is Subscribed at once, with its term, and a signed Subscribe webhook carries the subscription", async () => {
    const before = todayUtc();
    const bought = await purchase({ offerId: "contoso-backup", planId: "standard-auto" });
    const after = todayUtc();
    expect(bought.autoActivated).toBe(true);
    expect(bought.subscribeOperationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bought.subscribeDeliveryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(bought.landingUrl.startsWith(`${LANDING_URL}?token=`)).toBe(true);

    const subscription = await getSubscription(bought.subscriptionId);
    expect(subscription.saasSubscriptionStatus).toBe("Subscribed");
    expect([before, after]).toContain(subscription.term.startDate);
    expect(subscription.term.termUnit).toBe("P1M");
    expect(subscription.term.endDate).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);

    const [webhook] = await sink.waitForOperation(bought.subscribeOperationId ?? "");
    expect(webhook?.body).toMatchObject({
      id: bought.subscribeOperationId,
      action: "Subscribe",
      status: "Succeeded",
      operationRequestSource: "Azure",
      subscriptionId: bought.subscriptionId,
      offerId: "contoso-backup",
      planId: "standard-auto",
      publisherId: "contoso-software",
      purchaseToken: null,
      subscription: {
        id: bought.subscriptionId,
        saasSubscriptionStatus: "Subscribed",
        planId: "standard-auto",
        term: { startDate: subscription.term.startDate, endDate: subscription.term.endDate },
      },
    });
    // A flat plan: no seat count anywhere.
    expect(webhook?.body).not.toHaveProperty("quantity");
    const token = String(webhook?.headers.authorization).replace(/^Bearer /, "");
    const { payload: claims } = await jwtVerify(token, createLocalJWKSet(emu.idp.jwks()), {
      issuer: emu.idp.issuer(PUBLISHER_TENANT, 1),
      audience: FULFILLMENT_APP,
    });
    expect(claims).toMatchObject({ appid: MARKETPLACE_APP, tid: PUBLISHER_TENANT });

    // Get Operation knows it, settled: nothing to acknowledge, so it is never outstanding.
    const operation = await emu.api(
      "GET",
      `/api/saas/subscriptions/${bought.subscriptionId}/operations/${bought.subscribeOperationId}`,
    );
    expect(operation.status).toBe(200);
    expect(operation.json()).toMatchObject({ action: "Subscribe", status: "Succeeded", planId: "standard-auto" });
    const outstanding = await emu.api("GET", `/api/saas/subscriptions/${bought.subscriptionId}/operations`);
    expect(outstanding.json()).toEqual({});
    const acknowledged = await emu.api(
      "PATCH",
      `/api/saas/subscriptions/${bought.subscriptionId}/operations/${bought.subscribeOperationId}`,
      { body: { status: "Success" } },
    );
    expect(acknowledged.status).toBe(409);

    // The delivery is recorded like any other, with no acknowledgement to wait for.
    const delivery = await emu.request("GET", `/sandbox-api/webhooks/${bought.subscribeDeliveryId}`);
    expect(delivery.json()).toMatchObject({
      action: "Subscribe",
      operationId: bought.subscribeOperationId,
      delivered: true,
      operationStatus: "Succeeded",
    });
    expect(delivery.json()).not.toHaveProperty("acknowledgement");
  });

  it("still sends the buyer to the landing page with a token that resolves", async () => {
    const bought = await purchase({ offerId: "contoso-backup", planId: "standard-auto", name: "Auto backup" });
    const token = new URL(bought.landingUrl).searchParams.get("token") ?? "";
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.json()).toMatchObject({
      id: bought.subscriptionId,
      subscriptionName: "Auto backup",
      planId: "standard-auto",
      subscription: { saasSubscriptionStatus: "Subscribed" },
    });
  });

  it("carries the seats of a per-seat plan in the webhook and its snapshot", async () => {
    const bought = await purchase({ offerId: "contoso-backup", planId: "team-auto", quantity: 7 });
    const [webhook] = await sink.waitForOperation(bought.subscribeOperationId ?? "");
    expect(webhook?.body).toMatchObject({
      action: "Subscribe",
      planId: "team-auto",
      quantity: 7,
      subscription: { quantity: 7, saasSubscriptionStatus: "Subscribed" },
    });
  });

  it("keeps an Activate on the Subscribed subscription harmless: 200 and no change", async () => {
    const bought = await purchase({ offerId: "contoso-backup", planId: "team-auto", quantity: 3 });
    const before = await getSubscription(bought.subscriptionId);
    const activated = await emu.api("POST", `/api/saas/subscriptions/${bought.subscriptionId}/activate`, {
      body: { planId: "team-auto", quantity: 3 },
    });
    expect(activated.status).toBe(200);
    expect(await getSubscription(bought.subscriptionId)).toEqual(before);
    const state = await emu.request("GET", `/sandbox-api/subscriptions/${bought.subscriptionId}`);
    expect(state.json<{ operations: Array<{ action: string }> }>().operations.map((o) => o.action)).toEqual([
      "Subscribe",
    ]);
  });

  it("retries the Subscribe webhook like any other until the publisher answers 2xx", async () => {
    let calls = 0;
    sink.respond(() => (++calls === 1 ? 503 : 200));
    const bought = await purchase({ offerId: "contoso-backup", planId: "standard-auto" });
    const delivery = await waitFor(async () => {
      const reply = await emu.request("GET", `/sandbox-api/webhooks/${bought.subscribeDeliveryId}`);
      const body = reply.json<{ delivered: boolean; attempts: Array<{ status?: number }> }>();
      return body.delivered ? body : undefined;
    });
    expect(delivery.attempts.map((a) => a.status)).toEqual([503, 200]);
    const received = sink.forOperation(bought.subscribeOperationId ?? "");
    expect(received).toHaveLength(2);
    expect(received[0]?.body).toEqual(received[1]?.body);
  });
});

describe("buying a classic plan", () => {
  it("is unchanged: PendingFulfillmentStart, no operation, no webhook", async () => {
    const bought = await purchase({ offerId: "contoso-backup", planId: "standard", beneficiary: NINA });
    expect(bought).toMatchObject({ autoActivated: false, subscribeOperationId: null, subscribeDeliveryId: null });
    const subscription = await getSubscription(bought.subscriptionId);
    expect(subscription.saasSubscriptionStatus).toBe("PendingFulfillmentStart");
    expect(subscription.term).toEqual({ termUnit: "P1M", chargeDuration: null });
    const state = await emu.request("GET", `/sandbox-api/subscriptions/${bought.subscriptionId}`);
    expect(state.json<{ operations: unknown[] }>().operations).toEqual([]);
    const deliveries = await emu.request("GET", `/sandbox-api/webhooks?subscriptionId=${bought.subscriptionId}`);
    expect(deliveries.json<{ deliveries: unknown[] }>().deliveries).toEqual([]);
  });

  it("reports the plan's chargeDuration (premium-3y: a 3-year term billed monthly)", async () => {
    const bought = await purchase({ offerId: "contoso-backup", planId: "premium-3y" });
    expect((await getSubscription(bought.subscriptionId)).term).toEqual({
      termUnit: "P3Y",
      chargeDuration: "P1M",
    });
    const token = new URL(bought.landingUrl).searchParams.get("token") ?? "";
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(resolved.json<{ subscription: SubscriptionBody }>().subscription.term.chargeDuration).toBe("P1M");
    await emu.api("POST", `/api/saas/subscriptions/${bought.subscriptionId}/activate`, {
      body: { planId: "premium-3y" },
    });
    const activated = await getSubscription(bought.subscriptionId);
    expect(activated.term).toMatchObject({ termUnit: "P3Y", chargeDuration: "P1M", startDate: todayUtc() });
  });
});

describe("variant subscribe-operation-unknown (§15.22)", () => {
  it("answers 404 for the Subscribe operation, while other operations stay known", async () => {
    await emu.request("POST", "/sandbox-api/variants", { body: { enabled: ["subscribe-operation-unknown"] } });
    const bought = await purchase({ offerId: "contoso-backup", planId: "standard-auto" });
    const [webhook] = await sink.waitForOperation(bought.subscribeOperationId ?? "");
    expect(webhook?.body).toMatchObject({ action: "Subscribe", status: "Succeeded" });

    const operationPath = `/api/saas/subscriptions/${bought.subscriptionId}/operations/${bought.subscribeOperationId}`;
    const unknown = await emu.api("GET", operationPath);
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: "NotFound" } });
    expect((await emu.api("PATCH", operationPath, { body: { status: "Success" } })).status).toBe(404);
    expect((await emu.api("GET", `/api/saas/subscriptions/${bought.subscriptionId}/operations`)).json()).toEqual({});
    // Get Subscription is the way to confirm it.
    expect((await getSubscription(bought.subscriptionId)).saasSubscriptionStatus).toBe("Subscribed");

    const suspended = await emu.request("POST", `/sandbox-api/subscriptions/${bought.subscriptionId}/actions`, {
      body: { action: "Suspend" },
    });
    const suspendId = suspended.json<{ operationId: string }>().operationId;
    const suspend = await emu.api("GET", `/api/saas/subscriptions/${bought.subscriptionId}/operations/${suspendId}`);
    expect(suspend.status).toBe(200);
    expect(suspend.json()).toMatchObject({ action: "Suspend" });

    // Off again: the same Subscribe operation is known.
    await emu.request("POST", "/sandbox-api/variants", { body: { enabled: [] } });
    expect((await emu.api("GET", operationPath)).status).toBe(200);
  });
});
