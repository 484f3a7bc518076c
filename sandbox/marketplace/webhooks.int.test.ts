/**
 * The emulator playing Microsoft's side of the webhook (marketplace-contract.md §4.5, §4.6, §7.4, §8): a local http
 * server in the test stands in for the portal's webhook route and records what arrives.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  buy,
  buyActive,
  FULFILLMENT_APP,
  PUBLISHER_TENANT,
  startEmulator,
  waitFor,
  type ReceivedWebhook,
  type Reply,
  type RunningEmulator,
  type WebhookSink,
} from "./test-harness";

const MARKETPLACE_APP = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
const ACK_TIMEOUT_MS = 600;

let emu: RunningEmulator;
let sink: WebhookSink;

beforeAll(async () => {
  emu = await startEmulator({
    settings: { operationDelayMs: 100, ackTimeoutMs: ACK_TIMEOUT_MS, webhookBackoffMs: 50, webhookMaxAttempts: 3 },
  });
  if (!emu.webhooks) throw new Error("the harness starts a webhook sink");
  sink = emu.webhooks;
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  sink.respond(undefined);
  await emu.request("POST", "/sandbox-api/settings", {
    body: {
      operationDelayMs: 100,
      ackTimeoutMs: ACK_TIMEOUT_MS,
      webhookBackoffMs: 50,
      webhookMaxAttempts: 3,
      failNextOperations: 0,
      webhookUrl: null,
    },
  });
});

interface Payload {
  id: string;
  activityId: string;
  publisherId: string;
  offerId: string;
  planId: string;
  quantity?: number;
  subscriptionId: string;
  timeStamp: string;
  action: string;
  status: string;
  operationRequestSource: string;
  subscription: {
    id: string;
    planId: string;
    quantity?: number;
    saasSubscriptionStatus: string;
    term: { startDate?: string; endDate?: string };
  };
  purchaseToken: null;
}
interface Attempt {
  at: string;
  status?: number;
  durationMs: number;
  error?: string;
}
interface Delivery {
  id: string;
  operationId: string;
  action: string;
  subscriptionId: string;
  url: string;
  attempts: Attempt[];
  delivered: boolean;
  outcome: string;
  redeliveryOf: string | null;
  payload: Payload;
  acknowledgement?: { status?: string; autoAccepted?: true; at: string; via?: string };
}
interface Started {
  operationId: string;
  status: string;
  deliveryId: string | null;
  ackDueAt: string | null;
}
interface Operation {
  id: string;
  action: string;
  status: string;
  settledBy: string | null;
  operationRequestSource: string;
  autoAccepted: boolean;
  errorMessage: string;
}
interface SubscriptionState {
  subscription: {
    planId: string;
    quantity?: number;
    saasSubscriptionStatus: string;
    term: { startDate?: string; endDate?: string };
  };
  operations: Operation[];
}

const payloadOf = (webhook: ReceivedWebhook) => webhook.body as unknown as Payload;

function action(id: string, body: Record<string, unknown>): Promise<Reply> {
  return emu.request("POST", `/sandbox-api/subscriptions/${id}/actions`, { body });
}

async function act(id: string, body: Record<string, unknown>): Promise<Started> {
  const reply = await action(id, body);
  if (reply.status !== 201) throw new Error(`action failed: ${reply.status} ${reply.text}`);
  return reply.json<Started>();
}

async function state(id: string): Promise<SubscriptionState> {
  return (await emu.request("GET", `/sandbox-api/subscriptions/${id}`)).json<SubscriptionState>();
}

async function waitForOperation(id: string, operationId: string, status: string): Promise<Operation> {
  return waitFor(async () => (await state(id)).operations.find((o) => o.id === operationId && o.status === status));
}

async function deliveries(query: string): Promise<Delivery[]> {
  return (await emu.request("GET", `/sandbox-api/webhooks?${query}`)).json<{ deliveries: Delivery[] }>().deliveries;
}

async function waitForDelivery(
  operationId: string,
  check: (d: Delivery) => boolean,
  timeoutMs = 5000,
): Promise<Delivery> {
  return waitFor(async () => (await deliveries(`operationId=${operationId}`)).find(check), timeoutMs);
}

function errorMessage(reply: Reply): string {
  return reply.json<{ error: { message: string } }>().error.message;
}

/** The portal acknowledging the operation of a webhook it received (§7.3). */
async function acknowledge(webhook: ReceivedWebhook, status: "Success" | "Failure"): Promise<number> {
  const p = payloadOf(webhook);
  return (
    await emu.api("PATCH", `/api/saas/subscriptions/${p.subscriptionId}/operations/${p.id}`, { body: { status } })
  ).status;
}

describe("marketplace-side ChangePlan / ChangeQuantity (§4.5)", () => {
  it("sends the documented payload with an old-plan snapshot and a Microsoft token, then auto-accepts silence", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const started = await act(id, { action: "ChangePlan", planId: "pro-seats" });
    expect(started).toMatchObject({ status: "InProgress" });
    expect(started.deliveryId).toMatch(/^[0-9a-f-]{36}$/);

    const [webhook] = await sink.waitForOperation(started.operationId);
    if (!webhook) throw new Error("no webhook");
    const payload = payloadOf(webhook);
    expect(Object.keys(payload)).toEqual([
      "id",
      "activityId",
      "publisherId",
      "offerId",
      "planId",
      "quantity",
      "subscriptionId",
      "timeStamp",
      "action",
      "status",
      "operationRequestSource",
      "subscription",
      "purchaseToken",
    ]);
    expect(payload).toMatchObject({
      id: started.operationId,
      publisherId: "contoso-software",
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 1,
      subscriptionId: id,
      action: "ChangePlan",
      status: "InProgress",
      operationRequestSource: "Azure",
      purchaseToken: null,
    });
    expect(payload.activityId).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.timeStamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // The snapshot still shows the old plan while the change is InProgress (§8.3).
    expect(payload.subscription).toMatchObject({ id, planId: "basic", saasSubscriptionStatus: "Subscribed" });
    expect(payload.subscription.quantity).toBeUndefined();
    expect(webhook.headers["content-type"]).toMatch(/^application\/json/);

    // §8.4: a v1 token of Microsoft's marketplace app, for the publisher's fulfillment app.
    const authorization = String(webhook.headers.authorization);
    expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const token = authorization.slice("Bearer ".length);
    const { payload: claims } = await jwtVerify(token, createLocalJWKSet(emu.idp.jwks()), {
      issuer: emu.idp.issuer(PUBLISHER_TENANT, 1),
      audience: FULFILLMENT_APP,
    });
    expect(claims).toMatchObject({ appid: MARKETPLACE_APP, tid: PUBLISHER_TENANT, ver: "1.0" });

    // The operation waits for the ACK, then silence counts as Success.
    const outstanding = await emu.api("GET", `/api/saas/subscriptions/${id}/operations`);
    expect(outstanding.json<{ operations?: Array<{ id: string }> }>().operations?.map((o) => o.id)).toEqual([
      started.operationId,
    ]);
    const operation = await waitForOperation(id, started.operationId, "Succeeded");
    expect(operation).toMatchObject({ settledBy: "autoAccept", autoAccepted: true, operationRequestSource: "Azure" });
    expect((await state(id)).subscription).toMatchObject({ planId: "pro-seats", quantity: 1 });

    const [delivery] = await deliveries(`subscriptionId=${id}`);
    expect(delivery).toMatchObject({
      operationId: started.operationId,
      action: "ChangePlan",
      subscriptionId: id,
      url: sink.url,
      delivered: true,
      acknowledgement: { autoAccepted: true },
    });
    expect(delivery?.attempts).toHaveLength(1);
    expect(delivery?.attempts[0]).toMatchObject({ status: 200 });
    expect(delivery?.payload.id).toBe(started.operationId);
    expect(sink.forOperation(started.operationId)).toHaveLength(1);
  });

  it("applies the change when the portal PATCHes Success inside the window", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { ackTimeoutMs: 10_000 } });
    sink.respond(async (webhook) => {
      expect(await acknowledge(webhook, "Success")).toBe(200);
      return 200;
    });
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 3 });
    const started = await act(id, { action: "ChangeQuantity", quantity: 12 });
    const operation = await waitForOperation(id, started.operationId, "Succeeded");
    expect(operation.settledBy).toBe("acknowledgement");
    expect((await state(id)).subscription.quantity).toBe(12);
    const [webhook] = sink.forOperation(started.operationId);
    expect(webhook && payloadOf(webhook)).toMatchObject({
      action: "ChangeQuantity",
      quantity: 12,
      status: "InProgress",
      subscription: { quantity: 3 },
    });
    const delivery = await waitForDelivery(started.operationId, (d) => d.delivered);
    expect(delivery.acknowledgement).toMatchObject({ status: "Success", via: "patch" });
  });

  it("keeps the old plan when the portal PATCHes Failure", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { ackTimeoutMs: 10_000 } });
    sink.respond(async (webhook) => {
      await acknowledge(webhook, "Failure");
      return 200;
    });
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 3 });
    const started = await act(id, { action: "ChangePlan", planId: "enterprise-seats", quantity: 25 });
    const operation = await waitForOperation(id, started.operationId, "Failed");
    expect(operation.settledBy).toBe("acknowledgement");
    expect((await state(id)).subscription).toMatchObject({ planId: "pro-seats", quantity: 3 });
    expect((await waitForDelivery(started.operationId, (d) => d.delivered)).acknowledgement).toMatchObject({
      status: "Failure",
    });
    // A late ACK after the decision is a conflict (§7.3).
    const [webhook] = sink.forOperation(started.operationId);
    expect(webhook && (await acknowledge(webhook, "Success"))).toBe(409);
  });

  it("treats a 4xx answer to the webhook as a refusal (§7.4), without retrying", async () => {
    sink.respond(() => 400);
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const started = await act(id, { action: "ChangePlan", planId: "pro-seats" });
    const operation = await waitForOperation(id, started.operationId, "Failed");
    expect(operation).toMatchObject({ settledBy: "webhookRejection" });
    expect(operation.errorMessage).toMatch(/400/);
    expect((await state(id)).subscription.planId).toBe("basic");
    const delivery = await waitForDelivery(started.operationId, (d) => d.outcome === "rejected");
    expect(delivery.attempts).toHaveLength(1);
    expect(delivery.acknowledgement).toMatchObject({ status: "Failure", via: "webhookResponse" });
  });
});

describe("Suspend, Reinstate, Unsubscribe, Renew (§4.6)", () => {
  it("Suspend applies at once and notifies with a Suspended snapshot; Reinstate waits for the ACK", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const suspend = await act(id, { action: "Suspend" });
    expect(suspend.status).toBe("Succeeded");
    expect((await state(id)).subscription.saasSubscriptionStatus).toBe("Suspended");
    const [suspended] = await sink.waitForOperation(suspend.operationId);
    expect(suspended && payloadOf(suspended)).toMatchObject({
      action: "Suspend",
      status: "Succeeded",
      operationRequestSource: "Azure",
      planId: "standard",
      subscription: { saasSubscriptionStatus: "Suspended" },
    });
    // Flat plan: no quantity at the top level.
    expect(suspended && "quantity" in suspended.body).toBe(false);
    expect((await deliveries(`operationId=${suspend.operationId}`))[0]?.acknowledgement).toBeUndefined();

    // Reinstate refused: it stays Suspended.
    await emu.request("POST", "/sandbox-api/settings", { body: { ackTimeoutMs: 10_000 } });
    sink.respond(async (webhook) => {
      await acknowledge(webhook, "Failure");
      return 200;
    });
    const refused = await act(id, { action: "Reinstate" });
    expect(refused.status).toBe("InProgress");
    const [first] = await sink.waitForOperation(refused.operationId);
    expect(first && payloadOf(first)).toMatchObject({
      action: "Reinstate",
      status: "InProgress",
      subscription: { saasSubscriptionStatus: "Suspended" },
    });
    await waitForOperation(id, refused.operationId, "Failed");
    expect((await state(id)).subscription.saasSubscriptionStatus).toBe("Suspended");

    // Reinstate accepted by silence: Subscribed again.
    sink.respond(undefined);
    await emu.request("POST", "/sandbox-api/settings", { body: { ackTimeoutMs: ACK_TIMEOUT_MS } });
    const reinstate = await act(id, { action: "Reinstate" });
    expect((await state(id)).subscription.saasSubscriptionStatus).toBe("Suspended");
    await waitForOperation(id, reinstate.operationId, "Succeeded");
    expect((await state(id)).subscription.saasSubscriptionStatus).toBe("Subscribed");
  });

  it("Renew moves the term forward by one term and notifies", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 4 });
    const before = (await state(id)).subscription.term;
    const renew = await act(id, { action: "Renew" });
    expect(renew.status).toBe("Succeeded");
    const after = (await state(id)).subscription.term;
    const dayAfter = new Date(Date.parse(String(before.endDate)) + 24 * 60 * 60 * 1000)
      .toISOString()
      .replace(".000Z", "Z");
    expect(after.startDate).toBe(dayAfter);
    expect(Date.parse(String(after.endDate))).toBeGreaterThan(Date.parse(String(before.endDate)));
    const [webhook] = await sink.waitForOperation(renew.operationId);
    expect(webhook && payloadOf(webhook)).toMatchObject({
      action: "Renew",
      status: "Succeeded",
      planId: "pro-seats",
      quantity: 4,
      subscription: {
        saasSubscriptionStatus: "Subscribed",
        term: { startDate: after.startDate, endDate: after.endDate },
      },
    });
  });

  it("Unsubscribe works from PendingFulfillmentStart and shows Unsubscribed in the snapshot", async () => {
    const { subscriptionId: id } = await buy(emu, { offerId: "contoso-analytics", planId: "basic" });
    const cancel = await act(id, { action: "Unsubscribe" });
    expect(cancel.status).toBe("Succeeded");
    const [webhook] = await sink.waitForOperation(cancel.operationId);
    expect(webhook && payloadOf(webhook)).toMatchObject({
      action: "Unsubscribe",
      status: "Succeeded",
      operationRequestSource: "Azure",
      subscription: { saasSubscriptionStatus: "Unsubscribed" },
    });
    expect((await state(id)).subscription.saasSubscriptionStatus).toBe("Unsubscribed");
  });

  it("validates actions like Microsoft: states, plans, seats, one operation at a time", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ action: "Reinstate" }, 400, /Reinstate needs a subscription that is Suspended; this one is Subscribed/],
      [{ action: "ChangePlan" }, 400, /needs a planId/],
      [{ action: "ChangePlan", planId: "basic" }, 400, /already on plan/],
      [{ action: "ChangePlan", planId: "premium" }, 400, /not a plan of offer/],
      [{ action: "ChangePlan", planId: "pro-seats", quantity: 101 }, 400, /outside the range 1–100/],
      [{ action: "ChangeQuantity", quantity: 5 }, 400, /flat-rate/],
      [{ action: "Suspend", planId: "pro-seats" }, 400, /takes no planId/],
      [{ action: "Explode" }, 400, /Invalid request body/],
      [{ action: "Suspend", deliver: "maybe" }, 400, /Invalid request body/],
    ];
    for (const [body, status, message] of cases) {
      const reply = await action(id, body);
      expect(reply.status, JSON.stringify(body)).toBe(status);
      expect(errorMessage(reply), JSON.stringify(body)).toMatch(message);
    }
    expect((await action("00000000-0000-4000-8000-000000000000", { action: "Suspend" })).status).toBe(404);

    const seats = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    expect(errorMessage(await action(seats, { action: "ChangeQuantity", quantity: 0 }))).toMatch(
      /outside the plan's range/,
    );
    expect(errorMessage(await action(seats, { action: "ChangeQuantity" }))).toMatch(/needs a quantity/);

    // While a change waits for its ACK, every other action conflicts.
    await emu.request("POST", "/sandbox-api/settings", { body: { ackTimeoutMs: 10_000 } });
    const pending = await act(seats, { action: "ChangeQuantity", quantity: 3 });
    const conflict = await action(seats, { action: "Suspend" });
    expect(conflict.status).toBe(409);
    expect(errorMessage(conflict)).toMatch(new RegExp(`pending operation ${pending.operationId}`));
    expect((await emu.api("PATCH", `/api/saas/subscriptions/${seats}`, { body: { quantity: 4 } })).status).toBe(409);
    await emu.api("PATCH", `/api/saas/subscriptions/${seats}/operations/${pending.operationId}`, {
      body: { status: "Success" },
    });

    const suspended = await act(seats, { action: "Suspend" });
    expect(suspended.status).toBe("Succeeded");
    expect(errorMessage(await action(seats, { action: "Suspend" }))).toMatch(
      /Suspend needs a subscription that is Subscribed; this one is Suspended/,
    );
    expect(errorMessage(await action(seats, { action: "Renew" }))).toMatch(/Renew needs/);
    await act(seats, { action: "Unsubscribe" });
    expect(errorMessage(await action(seats, { action: "Unsubscribe" }))).toMatch(/Unsubscribed; that is final/);
  });
});

describe("publisher-initiated changes come back as Partner webhooks (§8.6)", () => {
  it("PATCH subscription: InProgress webhook after processing, applied on ACK", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { ackTimeoutMs: 10_000 } });
    sink.respond(async (webhook) => {
      await acknowledge(webhook, "Success");
      return 200;
    });
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const patch = await emu.api("PATCH", `/api/saas/subscriptions/${id}`, { body: { planId: "pro-seats" } });
    expect(patch.status).toBe(202);
    const operationId = String(patch.headers["operation-id"]);
    const [webhook] = await sink.waitForOperation(operationId);
    expect(webhook && payloadOf(webhook)).toMatchObject({
      id: operationId,
      action: "ChangePlan",
      status: "InProgress",
      operationRequestSource: "Partner",
      planId: "pro-seats",
      quantity: 1,
      subscription: { planId: "basic" },
    });
    const operation = await waitForOperation(id, operationId, "Succeeded");
    expect(operation).toMatchObject({ settledBy: "acknowledgement", operationRequestSource: "Partner" });
    expect((await state(id)).subscription.planId).toBe("pro-seats");
  });

  it("DELETE subscription: applied after processing, then an Unsubscribe webhook", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const del = await emu.api("DELETE", `/api/saas/subscriptions/${id}`);
    const operationId = String(del.headers["operation-id"]);
    const [webhook] = await sink.waitForOperation(operationId);
    expect(webhook && payloadOf(webhook)).toMatchObject({
      action: "Unsubscribe",
      status: "Succeeded",
      operationRequestSource: "Partner",
      subscription: { saasSubscriptionStatus: "Unsubscribed" },
    });
    expect((await waitForOperation(id, operationId, "Succeeded")).settledBy).toBe("timer");
  });

  it("an injected failure ends Failed without a webhook", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { failNextOperations: 1 } });
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const patch = await emu.api("PATCH", `/api/saas/subscriptions/${id}`, { body: { planId: "pro-seats" } });
    const operationId = String(patch.headers["operation-id"]);
    await waitForOperation(id, operationId, "Failed");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.forOperation(operationId)).toEqual([]);
    expect(await deliveries(`operationId=${operationId}`)).toEqual([]);
  });
});

describe("delivery: retries, lost webhooks, redelivery", () => {
  it("retries non-2xx answers with back-off, then gives up after webhookMaxAttempts", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { webhookBackoffMs: 100 } });
    sink.respond(() => 500);
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const suspend = await act(id, { action: "Suspend" });
    const delivery = await waitForDelivery(suspend.operationId, (d) => d.outcome === "failed");
    expect(delivery.delivered).toBe(false);
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 500]);
    const times = sink.forOperation(suspend.operationId).map((w) => w.at);
    expect(times).toHaveLength(3);
    const [t0 = 0, t1 = 0, t2 = 0] = times;
    expect(t1 - t0).toBeGreaterThanOrEqual(90); // 100 ms
    expect(t2 - t1).toBeGreaterThanOrEqual(190); // 200 ms
    // Every attempt carries the same operation id.
    expect(new Set(sink.forOperation(suspend.operationId).map((w) => w.body.id))).toEqual(
      new Set([suspend.operationId]),
    );
  });

  it("retries until the portal accepts; a notify-only 4xx is retried too", async () => {
    let calls = 0;
    sink.respond(() => (++calls === 1 ? 401 : calls === 2 ? 503 : 200));
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const renew = await act(id, { action: "Renew" });
    const delivery = await waitForDelivery(renew.operationId, (d) => d.delivered);
    expect(delivery.attempts.map((a) => a.status)).toEqual([401, 503, 200]);
  });

  it("records network errors (nothing listening) as attempts without a status", async () => {
    await emu.request("POST", "/sandbox-api/settings", {
      body: { webhookUrl: "http://127.0.0.1:9/api/marketplace/webhook", webhookMaxAttempts: 2 },
    });
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const suspend = await act(id, { action: "Suspend" });
    const delivery = await waitForDelivery(suspend.operationId, (d) => d.outcome === "failed");
    expect(delivery.url).toBe("http://127.0.0.1:9/api/marketplace/webhook");
    expect(delivery.attempts).toHaveLength(2);
    for (const attempt of delivery.attempts) {
      expect(attempt.status).toBeUndefined();
      expect(attempt.error).toMatch(/ECONNREFUSED|connect/i);
    }
  });

  it("deliver: drop changes the subscription without a webhook; redeliver sends it late", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 5 });
    const dropped = await act(id, { action: "ChangeQuantity", quantity: 8, deliver: "drop" });
    expect(dropped.status).toBe("Succeeded");
    expect((await state(id)).subscription.quantity).toBe(8);
    const suspended = await act(id, { action: "Suspend", deliver: "drop" });
    expect((await state(id)).subscription.saasSubscriptionStatus).toBe("Suspended");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.forOperation(dropped.operationId)).toEqual([]);
    expect(sink.forOperation(suspended.operationId)).toEqual([]);

    const [record] = await deliveries(`operationId=${dropped.operationId}`);
    expect(record).toMatchObject({
      outcome: "dropped",
      delivered: false,
      attempts: [],
      acknowledgement: { autoAccepted: true },
    });
    // The dropped webhook still carries what Microsoft would have sent (snapshot before the change).
    expect(record?.payload).toMatchObject({
      action: "ChangeQuantity",
      quantity: 8,
      status: "InProgress",
      subscription: { quantity: 5 },
    });

    const late = await emu.request("POST", `/sandbox-api/webhooks/${String(record?.id)}/redeliver`);
    expect(late.status).toBe(201);
    const [webhook] = await sink.waitForOperation(dropped.operationId);
    expect(webhook?.body.id).toBe(dropped.operationId);
  });

  it("redeliver sends the same payload again: a duplicate with the same operation id", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const renew = await act(id, { action: "Renew" });
    const original = await waitForDelivery(renew.operationId, (d) => d.delivered);
    const reply = await emu.request("POST", `/sandbox-api/webhooks/${original.id}/redeliver`);
    expect(reply.status).toBe(201);
    const copy = reply.json<Delivery>();
    expect(copy).toMatchObject({ operationId: renew.operationId, redeliveryOf: original.id });
    expect(copy.id).not.toBe(original.id);
    const received = await sink.waitForOperation(renew.operationId, 2);
    expect(received[1]?.text).toBe(received[0]?.text);
    await waitForDelivery(renew.operationId, (d) => d.id === copy.id && d.delivered);
    expect(
      (await emu.request("POST", "/sandbox-api/webhooks/00000000-0000-4000-8000-000000000000/redeliver")).status,
    ).toBe(404);
    expect((await emu.request("GET", `/sandbox-api/webhooks/${original.id}`)).json<Delivery>().id).toBe(original.id);
  });
});

describe("settings", () => {
  it("exposes and validates the webhook settings", async () => {
    const updated = await emu.request("POST", "/sandbox-api/settings", {
      body: {
        ackTimeoutMs: 1234,
        webhookMaxAttempts: 7,
        webhookBackoffMs: 10,
        webhookTimeoutMs: 1500,
        webhookUrl: "http://127.0.0.1:1/hook",
      },
    });
    expect(updated.json()).toMatchObject({
      ackTimeoutMs: 1234,
      webhookMaxAttempts: 7,
      webhookBackoffMs: 10,
      webhookTimeoutMs: 1500,
      webhookUrl: "http://127.0.0.1:1/hook",
    });
    const reset = await emu.request("POST", "/sandbox-api/settings", { body: { webhookUrl: null } });
    expect(reset.json()).toMatchObject({ webhookUrl: sink.url });
    for (const body of [
      { webhookUrl: "ftp://x" },
      { webhookUrl: "nope" },
      { webhookMaxAttempts: 0 },
      { ackTimeoutMs: -1 },
      { webhookBackoffMs: 1e9 },
    ]) {
      expect((await emu.request("POST", "/sandbox-api/settings", { body })).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe("pages", () => {
  it("shows the actions, runs them from forms and lists the deliveries, escaped", async () => {
    const id = await buyActive(emu, {
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 2,
      name: `<img src=x onerror=alert(1)> & Co`,
    });
    const pagePath = `/marketplace/subscriptions/${id}`;
    const first = await emu.request("GET", pagePath);
    expect(first.status).toBe(200);
    expect(first.text).not.toContain("<img src=x");
    expect(first.text).toContain("&#60;img src=x onerror=alert(1)&#62; &#38; Co");
    for (const label of ["Change plan", "Change seats", "Suspend", "Reinstate", "Unsubscribe", "Renew"]) {
      expect(first.text).toMatch(new RegExp(`<button[^>]*>${label}</button>`));
    }
    expect(first.text).toContain(`<label for="planId">New plan</label>`);
    expect(first.text).toContain(`<label for="seats">Seats</label>`);

    const form = (fields: Record<string, string>) =>
      emu.request("POST", `${pagePath}/actions`, {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
    const invalid = await form({ action: "Reinstate" });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toMatch(/role="alert"[^]*Reinstate needs a subscription that is Suspended/);

    const seats = await form({ action: "ChangeQuantity", quantity: "6" });
    expect(seats.status).toBe(302);
    const location = String(seats.headers.location);
    expect(location).toMatch(new RegExp(`^${pagePath}\\?started=[0-9a-f-]{36}$`));
    const operationId = location.split("=")[1] ?? "";
    await waitForOperation(id, operationId, "Succeeded");
    const after = await emu.request("GET", location);
    expect(after.text).toContain("ChangeQuantity started");
    expect(after.text).toContain(operationId);
    expect(after.text).toMatch(/auto-accepted after 600 ms/);
    expect(after.text).toContain("Delivered");
    expect(after.text).toMatch(/HTTP 200 in \d+ ms/);

    const suspend = await form({ action: "Suspend" });
    expect(suspend.status).toBe(302);
    expect((await state(id)).subscription.saasSubscriptionStatus).toBe("Suspended");
    const [delivery] = await deliveries(`subscriptionId=${id}`);
    const redeliver = await emu.request("POST", `/marketplace/webhooks/${String(delivery?.id)}/redeliver`);
    expect(redeliver.status).toBe(302);
    expect(String(redeliver.headers.location)).toContain(pagePath);

    const home = await emu.request("GET", "/");
    expect(home.text).toContain(`href="${pagePath}"`);
    expect(home.text).toContain("Recent webhook deliveries");
    expect((await emu.request("GET", "/marketplace/subscriptions/00000000-0000-4000-8000-000000000000")).status).toBe(
      404,
    );
  });
});

describe("decodes as a Microsoft token would", () => {
  it("carries exp/nbf around now and no personal claims", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const renew = await act(id, { action: "Renew" });
    const [webhook] = await sink.waitForOperation(renew.operationId);
    const claims = decodeJwt(String(webhook?.headers.authorization).slice(7));
    const now = Math.floor(Date.now() / 1000);
    expect(Number(claims.exp)).toBeGreaterThan(now);
    expect(Number(claims.nbf)).toBeLessThanOrEqual(now + 1);
    expect(claims.aud).toBe(FULFILLMENT_APP);
  });

  it("variant app-id-uri-audience: the audience is the fulfillment app's App ID URI api://<client id>", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    await emu.request("POST", "/sandbox-api/variants", { body: { enabled: ["app-id-uri-audience"] } });
    try {
      const renew = await act(id, { action: "Renew" });
      const [webhook] = await sink.waitForOperation(renew.operationId);
      const { payload: claims } = await jwtVerify(
        String(webhook?.headers.authorization).slice(7),
        createLocalJWKSet(emu.idp.jwks()),
        { issuer: emu.idp.issuer(PUBLISHER_TENANT, 1), audience: `api://${FULFILLMENT_APP}` },
      );
      expect(claims).toMatchObject({ appid: MARKETPLACE_APP, ver: "1.0" });
    } finally {
      await emu.request("POST", "/sandbox-api/variants", { body: { enabled: [] } });
    }
  });

  it("variant v2-webhook-tokens: a v2 token — issuer …/{tenant}/v2.0, the marketplace app in azp, no appid", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    await emu.request("POST", "/sandbox-api/variants", { body: { enabled: ["v2-webhook-tokens"] } });
    try {
      const renew = await act(id, { action: "Renew" });
      const [webhook] = await sink.waitForOperation(renew.operationId);
      const { payload: claims } = await jwtVerify(
        String(webhook?.headers.authorization).slice(7),
        createLocalJWKSet(emu.idp.jwks()),
        { issuer: emu.idp.issuer(PUBLISHER_TENANT, 2), audience: FULFILLMENT_APP },
      );
      expect(claims).toMatchObject({ azp: MARKETPLACE_APP, tid: PUBLISHER_TENANT, ver: "2.0" });
      expect(claims.appid).toBeUndefined();
    } finally {
      await emu.request("POST", "/sandbox-api/variants", { body: { enabled: [] } });
    }
  });
});
