/**
 * Variants that change when things happen (variants.ts): Reinstate without an acknowledgement,
 * a slow activation, a change that shows late (across a restart too), and webhooks out of
 * order. Each is played with raw HTTP, then switched off to see the documented behaviour again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  buy,
  buyActive,
  startEmulator,
  tempDataDir,
  waitFor,
  type ReceivedWebhook,
  type RunningEmulator,
  type WebhookSink,
} from "./test-harness";

const ACK_TIMEOUT_MS = 600;
const BASE_SETTINGS = {
  operationDelayMs: 100,
  ackTimeoutMs: ACK_TIMEOUT_MS,
  webhookBackoffMs: 50,
  webhookMaxAttempts: 3,
  activationDelayMs: 0,
  slowActivationMs: 800,
  applyDelayMs: 1000,
  webhookHoldMs: 800,
};

let emu: RunningEmulator;
let sink: WebhookSink;
beforeAll(async () => {
  emu = await startEmulator({ settings: BASE_SETTINGS });
  if (!emu.webhooks) throw new Error("the harness starts a webhook sink");
  sink = emu.webhooks;
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  sink.respond(undefined);
  await emu.request("POST", "/sandbox-api/settings", { body: BASE_SETTINGS });
  await on();
});

interface Operation {
  id: string;
  action: string;
  status: string;
  settledBy: string | null;
  applyDueAt: string | null;
}
interface State {
  subscription: { planId: string; quantity?: number; saasSubscriptionStatus: string };
  operations: Operation[];
}
interface Payload {
  id: string;
  action: string;
  status: string;
  subscription: { saasSubscriptionStatus: string };
}

async function on(...names: string[]): Promise<void> {
  const reply = await emu.request("POST", "/sandbox-api/variants", { body: { enabled: names } });
  if (reply.status !== 200) throw new Error(`variants: ${reply.status} ${reply.text}`);
}

async function act(
  target: RunningEmulator,
  id: string,
  body: Record<string, unknown>,
): Promise<{ operationId: string; status: string }> {
  const reply = await target.request("POST", `/sandbox-api/subscriptions/${id}/actions`, { body });
  if (reply.status !== 201) throw new Error(`action failed: ${reply.status} ${reply.text}`);
  return reply.json();
}

async function state(id: string, target = emu): Promise<State> {
  return (await target.request("GET", `/sandbox-api/subscriptions/${id}`)).json<State>();
}

async function apiSubscription(
  id: string,
  target = emu,
): Promise<{ planId: string; quantity?: number; saasSubscriptionStatus: string }> {
  return (await target.api("GET", `/api/saas/subscriptions/${id}`)).json();
}

const payloadOf = (webhook: ReceivedWebhook) => webhook.body as unknown as Payload;

describe("notify-only-reinstate", () => {
  it("applies a marketplace-side Reinstate at once and notifies it Succeeded; off: it waits for the ACK again", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    await act(emu, id, { action: "Suspend" });
    await on("notify-only-reinstate");
    const reinstate = await act(emu, id, { action: "Reinstate" });
    expect(reinstate.status).toBe("Succeeded");
    expect((await state(id)).operations.find((o) => o.id === reinstate.operationId)).toMatchObject({
      status: "Succeeded",
      settledBy: "immediate",
    });
    expect((await apiSubscription(id)).saasSubscriptionStatus).toBe("Subscribed");

    const [webhook] = await sink.waitForOperation(reinstate.operationId);
    if (!webhook) throw new Error("no webhook");
    expect(payloadOf(webhook)).toMatchObject({
      action: "Reinstate",
      status: "Succeeded",
      subscription: { saasSubscriptionStatus: "Subscribed" },
    });
    const ack = await emu.api("PATCH", `/api/saas/subscriptions/${id}/operations/${reinstate.operationId}`, {
      body: { status: "Success" },
    });
    expect(ack.status).toBe(409);
    expect(ack.json()).toMatchObject({ error: { code: "Conflict" } });

    await on();
    await act(emu, id, { action: "Suspend" });
    const documented = await act(emu, id, { action: "Reinstate" });
    expect(documented.status).toBe("InProgress");
    const [inProgress] = await sink.waitForOperation(documented.operationId);
    if (!inProgress) throw new Error("no webhook");
    expect(payloadOf(inProgress)).toMatchObject({
      action: "Reinstate",
      status: "InProgress",
      subscription: { saasSubscriptionStatus: "Suspended" },
    });
    expect((await apiSubscription(id)).saasSubscriptionStatus).toBe("Suspended");
  });
});

describe("slow-activation", () => {
  it("keeps an accepted Activate pending for slowActivationMs; off: Subscribed at once", async () => {
    await on("slow-activation");
    const { subscriptionId: id } = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    const activatedAt = Date.now();
    expect(
      (await emu.api("POST", `/api/saas/subscriptions/${id}/activate`, { body: { planId: "standard" } })).status,
    ).toBe(200);
    expect((await apiSubscription(id)).saasSubscriptionStatus).toBe("PendingFulfillmentStart");
    // Repeating Activate meanwhile is still harmless.
    expect(
      (await emu.api("POST", `/api/saas/subscriptions/${id}/activate`, { body: { planId: "standard" } })).status,
    ).toBe(200);
    await waitFor(async () => ((await apiSubscription(id)).saasSubscriptionStatus === "Subscribed" ? true : undefined));
    expect(Date.now() - activatedAt).toBeGreaterThanOrEqual(BASE_SETTINGS.slowActivationMs);

    await on();
    const { subscriptionId: quick } = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    expect(
      (await emu.api("POST", `/api/saas/subscriptions/${quick}/activate`, { body: { planId: "standard" } })).status,
    ).toBe(200);
    expect((await apiSubscription(quick)).saasSubscriptionStatus).toBe("Subscribed");
  });
});

describe("delayed-apply", () => {
  it("marks an acknowledged change Succeeded at once but shows it applyDelayMs later; off: at once", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    await on("delayed-apply");
    await emu.request("POST", "/sandbox-api/settings", { body: { ackTimeoutMs: 30_000 } });
    const patch = await emu.api("PATCH", `/api/saas/subscriptions/${id}`, { body: { quantity: 9 } });
    const location = String(patch.headers["operation-location"]);
    const ack = await emu.api("PATCH", location, { body: { status: "Success" } });
    expect(ack.status).toBe(200);
    const acknowledgedAt = Date.now();
    expect((await emu.api("GET", location)).json()).toMatchObject({ status: "Succeeded", quantity: 9 });
    expect((await apiSubscription(id)).quantity).toBe(2);
    expect((await state(id)).operations[0]?.applyDueAt).toMatch(/^\d{4}-/);

    await waitFor(async () => ((await apiSubscription(id)).quantity === 9 ? true : undefined));
    expect(Date.now() - acknowledgedAt).toBeGreaterThanOrEqual(BASE_SETTINGS.applyDelayMs - 50);
    expect((await state(id)).operations[0]?.applyDueAt).toBeNull();

    await on();
    const next = await emu.api("PATCH", `/api/saas/subscriptions/${id}`, { body: { quantity: 10 } });
    expect(
      (await emu.api("PATCH", String(next.headers["operation-location"]), { body: { status: "Success" } })).status,
    ).toBe(200);
    expect((await apiSubscription(id)).quantity).toBe(10);
  });

  it("delays an auto-accepted marketplace-side change too", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    await on("delayed-apply");
    const change = await act(emu, id, { action: "ChangePlan", planId: "pro-seats" });
    await waitFor(async () =>
      (await state(id)).operations.find((o) => o.id === change.operationId && o.settledBy === "autoAccept"),
    );
    expect((await apiSubscription(id)).planId).toBe("basic");
    await waitFor(async () => ((await apiSubscription(id)).planId === "pro-seats" ? true : undefined));
  });

  it("survives a restart: the change shows at its due time though the sandbox was down", async () => {
    const dataDir = tempDataDir();
    const first = await startEmulator({
      dataDir,
      variants: ["delayed-apply"],
      settings: { applyDelayMs: 3000, ackTimeoutMs: 30_000 },
    });
    let id = "";
    try {
      id = await buyActive(first, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
      const change = await act(first, id, { action: "ChangeQuantity", quantity: 4 });
      expect(
        (
          await first.api("PATCH", `/api/saas/subscriptions/${id}/operations/${change.operationId}`, {
            body: { status: "Success" },
          })
        ).status,
      ).toBe(200);
      expect((await apiSubscription(id, first)).quantity).toBe(2);
    } finally {
      await first.close();
    }
    // The variant is off after the restart: what was already due is still applied, once, on time.
    const second = await startEmulator({ dataDir });
    try {
      expect((await apiSubscription(id, second)).quantity).toBe(2);
      await waitFor(async () => ((await apiSubscription(id, second)).quantity === 4 ? true : undefined));
      expect((await state(id, second)).operations[0]).toMatchObject({ status: "Succeeded", applyDueAt: null });
    } finally {
      await second.close();
    }
  });
});

describe("reordered-webhooks", () => {
  it("holds a webhook, and a newer one of the same subscription overtakes it; off: sent at once, in order", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    await on("reordered-webhooks");
    const suspend = await act(emu, id, { action: "Suspend" });
    const held = (await emu.request("GET", `/sandbox-api/webhooks?operationId=${suspend.operationId}`)).json<{
      deliveries: Array<{ nextAttemptAt: string | null; attempts: unknown[] }>;
    }>();
    expect(held.deliveries[0]).toMatchObject({ attempts: [], nextAttemptAt: expect.stringMatching(/^\d{4}-/) });
    const reinstate = await act(emu, id, { action: "Reinstate" });

    await sink.waitForOperation(suspend.operationId);
    const order = sink.received.filter((w) => w.body.subscriptionId === id).map((w) => payloadOf(w).action);
    expect(order).toEqual(["Reinstate", "Suspend"]);
    // The newer one went out at once, not after the hold.
    const reinstateWebhook = sink.forOperation(reinstate.operationId)[0];
    const suspendWebhook = sink.forOperation(suspend.operationId)[0];
    if (!reinstateWebhook || !suspendWebhook) throw new Error("missing webhook");
    expect(suspendWebhook.at).toBeGreaterThanOrEqual(reinstateWebhook.at);

    await on();
    await emu.request("POST", "/sandbox-api/settings", { body: { webhookHoldMs: 3000 } });
    const other = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const startedAt = Date.now();
    const first = await act(emu, other, { action: "Suspend" });
    const [prompt] = await sink.waitForOperation(first.operationId);
    expect((prompt?.at ?? Infinity) - startedAt).toBeLessThan(3000);
    const second = await act(emu, other, { action: "Unsubscribe" });
    await sink.waitForOperation(second.operationId);
    expect(sink.received.filter((w) => w.body.subscriptionId === other).map((w) => payloadOf(w).action)).toEqual([
      "Suspend",
      "Unsubscribe",
    ]);
  });

  it("sends a lone webhook after webhookHoldMs, and its ACK window still runs from when it was raised", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    await on("reordered-webhooks");
    await emu.request("POST", "/sandbox-api/settings", { body: { webhookHoldMs: 1200, ackTimeoutMs: 300 } });
    const raisedAt = Date.now();
    const change = await act(emu, id, { action: "ChangePlan", planId: "pro-seats" });
    // Auto-accepted after ackTimeoutMs although the webhook is still held.
    const accepted = await waitFor(async () =>
      (await state(id)).operations.find((o) => o.id === change.operationId && o.settledBy === "autoAccept"),
    );
    expect(accepted.status).toBe("Succeeded");
    expect(sink.forOperation(change.operationId)).toEqual([]);

    const [webhook] = await sink.waitForOperation(change.operationId);
    if (!webhook) throw new Error("no webhook");
    expect(webhook.at - raisedAt).toBeGreaterThanOrEqual(1200);
    expect(payloadOf(webhook)).toMatchObject({ action: "ChangePlan", status: "InProgress" });
  });
});
