/**
 * The webhook under the variants and attacks an outside test found (issue "contract under
 * variation"): a refused look-alike before the genuine delivery, text PostgreSQL cannot store, a
 * Reinstate Microsoft already settled, a stale Suspend after a Reinstate, an acknowledgement that
 * Microsoft answers 409, and a read taken before Microsoft shows an accepted change.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { jobsOf, startJobs as startJobWorkers } from "@/tests/support/jobs";
import { acknowledgeOperation, acknowledgeOperationJob } from "@/lib/operations/acknowledge-operation";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { readSubscription } from "@/lib/subscriptions/read-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { syncSubscription } from "@/lib/subscriptions/sync-subscription";
import { until } from "@/tests/support/until";
import { sandboxControl, type WebhookDelivery } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;
/** The product's answer to "may this change happen?" (the policy hook); accept unless a test says otherwise. */
let hookAnswer = { accept: true, reason: "Fine by the product." };
let hook: Awaited<ReturnType<typeof startHook>>;

const startJobs = async () => {
  worker = await startJobWorkers();
};
const stopJobs = async () => {
  await worker?.stop();
  worker = undefined;
};

async function activeSubscription(quantity = 5) {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  await activateSubscription({
    subscriptionId: purchase.subscriptionId,
    accountConfig: {
      companyName: "Fabrikam",
      contactName: "Alice",
      contactEmail: "alice@fabrikam.example",
      acceptTerms: "on",
    },
    actor: alice,
  });
  return purchase.subscriptionId;
}

const local = (id: string) => db().subscription.findUniqueOrThrow({ where: { id } });
const events = (subscriptionId: string) =>
  db().webhookEvent.findMany({ where: { subscriptionId }, orderBy: { receivedAt: "asc" } });
const deliveryOf = (
  subscriptionId: string,
  action: string,
  predicate: (d: WebhookDelivery) => boolean = (d) => d.delivered,
) =>
  until(
    () => sandbox.deliveries(subscriptionId).then((all) => all.filter((d) => d.action === action).at(-1)),
    (d): d is WebhookDelivery => Boolean(d && predicate(d)),
    `${action} delivery`,
  );
const settledEvents = (subscriptionId: string, count: number) =>
  until(
    () => events(subscriptionId),
    (all) => all.length >= count && all.every((e) => !["received", "processing"].includes(e.status)),
    `${count} events processed`,
  );

beforeAll(async () => {
  hook = await startHook(() => hookAnswer);
  // Read once, on first use: set before anything asks for the policy.
  process.env.PUBLISHER_POLICY = JSON.stringify({ seatLimits: { "pro-seats": { max: 50 } }, hookUrl: hook.url });
  receiver = await startWebhookReceiver();
  await sandbox.settings({
    webhookUrl: receiver.url,
    ackTimeoutMs: 10_000,
    webhookMaxAttempts: 4,
    webhookBackoffMs: 200,
  });
  await startJobs();
});
afterEach(async () => {
  await sandbox.clearFaults();
  await sandbox.settings({ ackTimeoutMs: 10_000 });
  if (!worker) await startJobs();
});
afterAll(async () => {
  await stopJobs();
  await receiver.close();
  await hook.close();
  await disconnectDatabase();
});

describe("a refused delivery does not block the genuine one", () => {
  it("a look-alike that Microsoft does not confirm, delivered first with a captured token, leaves the genuine ChangeQuantity to be processed", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "Renew");
    await deliveryOf(id, "Renew");
    const token = receiver.received.filter((r) => r.authorization).at(-1)?.authorization ?? null; // captured by the attacker
    expect(token).not.toBeNull();
    // Microsoft's delivery is held up (our endpoint unreachable for a moment) while the forgery arrives.
    await sandbox.settings({
      webhookUrl: "http://127.0.0.1:1/api/marketplace/webhook",
      webhookBackoffMs: 1500,
      webhookMaxAttempts: 5,
    });
    const { operationId } = await sandbox.act(id, "ChangeQuantity", { quantity: 60 }); // over the publisher's limit of 50: must be refused
    const genuine = await until(
      () => sandbox.deliveries(id).then((all) => all.find((d) => d.operationId === operationId)),
      (d): d is WebhookDelivery => Boolean(d),
      "genuine delivery created",
    );
    const payload = (genuine as WebhookDelivery & { payload: Record<string, unknown> }).payload;
    const forged = await receiver.post(JSON.stringify({ ...payload, quantity: 6 }), token);
    expect(forged.json).toMatchObject({ result: "accepted" });
    await sandbox.settings({ webhookUrl: receiver.url, webhookBackoffMs: 200, webhookMaxAttempts: 4 });
    const all = await until(
      () => events(id),
      (rows) =>
        rows.filter((e) => e.action === "ChangeQuantity" && !["received", "processing"].includes(e.status)).length ===
        2,
      "both deliveries processed",
      20_000,
    );
    const [first, second] = all.filter((e) => e.action === "ChangeQuantity");
    expect(first).toMatchObject({ quantity: 6, status: "unconfirmed", verifiedKey: null });
    expect(second).toMatchObject({ quantity: 60, status: "refused", verifiedKey: `${operationId}:ChangeQuantity` });
    const ack = await deliveryOf(id, "ChangeQuantity", (d) => Boolean(d.acknowledgement));
    expect(ack.acknowledgement).toMatchObject({ status: "Failure" });
    expect((await local(id)).quantity).toBe(5);
    expect((await sandbox.subscription(id)).subscription.quantity).toBe(5);
  }, 30_000);

  it("a second confirmed delivery of the same operation with another body changes nothing (duplicate)", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "ChangeQuantity", { quantity: 7 });
    await deliveryOf(id, "ChangeQuantity", (d) => Boolean(d.acknowledgement));
    const original = receiver.received.find((r) => r.body.includes(id) && r.body.includes("ChangeQuantity"))!;
    const reformatted = JSON.stringify(JSON.parse(original.body), null, 2); // same content, other bytes
    expect((await receiver.post(reformatted, original.authorization)).status).toBe(200);
    const all = await settledEvents(id, 2);
    expect(all.map((e) => e.status)).toEqual(["applied", "duplicate"]);
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "quantity_changed" } })).toBe(1);
  });
});

describe("app-id-uri-audience: the webhook token's audience is the App ID URI api://<client id> (marketplace-contract.md §8.4, §15.27)", () => {
  it("the delivery is accepted and applied, as with the client id", async () => {
    const id = await activeSubscription();
    await sandbox.variants(["app-id-uri-audience"]);
    try {
      await sandbox.act(id, "ChangeQuantity", { quantity: 8 });
      const delivery = await deliveryOf(id, "ChangeQuantity", (d) => Boolean(d.acknowledgement));
      expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([200]);
      expect(delivery.acknowledgement).toMatchObject({ status: "Success" });
      const [event] = await settledEvents(id, 1);
      expect(event).toMatchObject({ action: "ChangeQuantity", status: "applied" });
      expect((await local(id)).quantity).toBe(8);
    } finally {
      await sandbox.variants([]);
    }
  });
});

describe("text PostgreSQL cannot store", () => {
  it("a NUL character, a lone surrogate or U+FFFD in a signed body gets 400 with a reason, not 503, and nothing is stored", async () => {
    const token = receiver.received.find((r) => r.authorization)?.authorization ?? null;
    const before = await db().webhookEvent.count();
    const base = {
      id: "0f0c0000-0000-4000-8000-00000000a0a0",
      subscriptionId: "0f0c0000-0000-4000-8000-00000000b0b0",
      action: "Suspend",
      timeStamp: new Date().toISOString(),
      status: "Succeeded",
    };
    for (const body of [
      JSON.stringify({ ...base, offerId: "contoso\u0000analytics" }),
      JSON.stringify(base).replace("Suspend", "Sus\\u0000pend"),
      JSON.stringify({ ...base, planId: "\ud800" }),
      JSON.stringify({ ...base, "na\u0000me": 1 }),
      Buffer.concat([
        Buffer.from(JSON.stringify(base).slice(0, -1)),
        Buffer.from(',"x":"'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}'),
      ]).toString("utf8"),
    ]) {
      const answer = await receiver.post(body, token);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.json)).toContain("NUL character or invalid Unicode");
    }
    expect(await db().webhookEvent.count()).toBe(before);
  });
});

describe("Reinstate converges on Microsoft", () => {
  it("a Reinstate Microsoft already settled (notify-only, or its answer window passed) restores access", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "Suspend");
    await until(
      () => local(id),
      (row) => row.status === "Suspended",
      "suspended",
    );
    expect((await local(id)).suspendedAt).toBeInstanceOf(Date);
    // Microsoft reinstates without waiting for us; its webhook arrives later (redelivered).
    await sandbox.act(id, "Reinstate", { deliver: "drop" });
    expect((await sandbox.subscription(id)).subscription.saasSubscriptionStatus).toBe("Subscribed");
    const dropped = (await sandbox.deliveries(id)).find((d) => d.action === "Reinstate")!;
    await sandbox.redeliver(dropped.id);
    const row = await until(
      () => local(id),
      (r) => r.status === "Subscribed",
      "access restored",
    );
    expect(row.suspendedAt).toBeNull();
    const all = await until(
      () => events(id),
      (rows) => rows.some((e) => e.action === "Reinstate" && e.status === "applied"),
      "reinstate event applied",
    );
    const event = all.find((e) => e.action === "Reinstate");
    expect(event).toMatchObject({ status: "applied", acknowledgement: null });
    expect(event?.outcome).toContain("access restored");
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "reinstated" } })).toBe(1);
  });

  it("a Reinstate the publisher refuses is acknowledged Failure and the customer stays suspended on both sides", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "Suspend");
    await until(
      () => local(id),
      (row) => row.status === "Suspended",
      "suspended",
    );
    // The product's hook refuses (e.g. the account was closed on the product's side).
    hookAnswer = { accept: false, reason: "Account closed in the product." };
    try {
      await sandbox.act(id, "Reinstate");
      const ack = await deliveryOf(id, "Reinstate", (d) => Boolean(d.acknowledgement));
      expect(ack.acknowledgement).toMatchObject({ status: "Failure" });
    } finally {
      hookAnswer = { accept: true, reason: "Fine by the product." };
    }
    expect((await local(id)).status).toBe("Suspended");
    expect((await sandbox.subscription(id)).subscription.saasSubscriptionStatus).toBe("Suspended");
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "reinstate_refused" } })).toBe(1);
  });

  it("a stale Suspend delivered after the Reinstate does not suspend the customer again", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "Suspend", { deliver: "drop" });
    await sandbox.act(id, "Reinstate", { deliver: "drop" });
    const deliveries = await sandbox.deliveries(id);
    // Delivered in the wrong order: Reinstate first, then the older Suspend.
    await sandbox.redeliver(deliveries.find((d) => d.action === "Reinstate")!.id);
    await until(
      () => events(id),
      (all) => all.some((e) => e.action === "Reinstate" && e.status === "applied"),
      "reinstate processed",
    );
    await sandbox.redeliver(deliveries.find((d) => d.action === "Suspend")!.id);
    const all = await until(
      () => events(id),
      (rows) => rows.some((e) => e.action === "Suspend" && !["received", "processing"].includes(e.status)),
      "suspend processed",
    );
    expect(all.find((e) => e.action === "Suspend")?.status).toBe("stale");
    expect((await local(id)).status).toBe("Subscribed");
  });
});

describe("acknowledgements Microsoft answers 409", () => {
  it("an acknowledgement whose answer was lost is repeated, gets 409, and is settled from Microsoft's operation: the label says what Microsoft holds", async () => {
    const id = await activeSubscription();
    await sandbox.settings({ ackTimeoutMs: 1500 });
    // The first PATCH gets no usable answer (a 500 after 1.6 s); meanwhile Microsoft auto-accepts; the retry gets 409.
    await sandbox.addFault({ method: "PATCH", pathPattern: "/operations/", status: 500, delayMs: 1600, times: 1 });
    await sandbox.act(id, "ChangeQuantity", { quantity: 9 });
    const [event] = await until(
      () => events(id),
      (rows) => Boolean(rows.find((e) => e.action === "ChangeQuantity")?.acknowledgement),
      "acknowledgement recorded",
      20_000,
    );
    expect(event?.acknowledgement).toBe("Success (Microsoft: Succeeded)");
    expect(await jobsOf(acknowledgeOperationJob, { states: ["failed"] })).toEqual([]);
    const operation = await db().operation.findFirstOrThrow({
      where: { subscriptionId: id, action: "ChangeQuantity" },
    });
    expect(operation.status).toBe("Succeeded");
    await until(
      () => local(id),
      (row) => row.quantity === 9,
      "seats from Microsoft",
    );
  }, 30_000);

  it("a Failure that arrives after Microsoft auto-accepted says so, and our copy follows Microsoft", async () => {
    const id = await activeSubscription();
    await stopJobs();
    await sandbox.settings({ ackTimeoutMs: 300 });
    const { operationId } = await sandbox.act(id, "ChangeQuantity", { quantity: 8 });
    await deliveryOf(id, "ChangeQuantity", (d) => Boolean(d.acknowledgement));
    await acknowledgeOperation({ subscriptionId: id, operationId, status: "Failure" });
    const operation = await db().operation.findFirst({
      where: { subscriptionId: id, marketplaceOperationId: operationId },
    });
    expect(operation?.status ?? "Succeeded").toBe("Succeeded");
    expect((await local(id)).quantity).toBe(8);
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { subscriptionId: id, action: "operation_acknowledged" },
      orderBy: { id: "desc" },
    });
    expect(audit.detail).toMatchObject({ status: "Failure", outcome: "already_final", microsoftStatus: "Succeeded" });
  });
});

describe("an accepted change is not undone by an older view", () => {
  it("a read that does not show the accepted seats yet keeps ours; once Microsoft shows them, they are confirmed", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "ChangeQuantity", { quantity: 7 });
    await deliveryOf(id, "ChangeQuantity", (d) => Boolean(d.acknowledgement));
    await until(
      () => db().operation.findFirst({ where: { subscriptionId: id, action: "ChangeQuantity" } }),
      (op) => op?.status === "Succeeded",
      "acknowledged",
    );
    // A read taken now that still shows 5 seats (Microsoft applying a moment late): not newer information.
    const fresh = await readSubscription(id);
    const late = { ...fresh, subscription: { ...fresh.subscription, quantity: 5 }, readAt: new Date() };
    const operation = await db().operation.findFirstOrThrow({
      where: { subscriptionId: id, action: "ChangeQuantity" },
    });
    await db().operation.update({ where: { id: operation.id }, data: { confirmUntil: new Date(Date.now() + 60_000) } });
    await db().$transaction((tx) =>
      syncSubscription(tx, { snapshot: late, actor: { actorType: "system" }, reason: "test: late read" }),
    );
    expect((await local(id)).quantity).toBe(7);
    // Microsoft's real view shows 7: the change is confirmed and the guard closes.
    await db().$transaction(async (tx) =>
      syncSubscription(tx, {
        snapshot: await readSubscription(id),
        actor: { actorType: "system" },
        reason: "test: read",
      }),
    );
    expect((await db().operation.findUniqueOrThrow({ where: { id: operation.id } })).confirmUntil).toBeNull();
    // From now on Microsoft's values win again.
    await db().$transaction((tx) =>
      syncSubscription(tx, {
        snapshot: { ...late, readAt: new Date() },
        actor: { actorType: "system" },
        reason: "test: later read",
      }),
    );
    expect((await local(id)).quantity).toBe(5);
  });
});

async function startHook(answer: () => { accept: boolean; reason: string }) {
  const { createServer } = await import("node:http");
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/decide`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
