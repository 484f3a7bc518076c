/**
 * Auto-activated purchases end to end (marketplace-contract.md §4.7, §15.22; docs/decisions/0008):
 * the sandbox sells an auto-activated plan, makes the subscription Subscribed at once and sends a
 * signed `Subscribe` webhook; the portal's receiver records it and the job worker confirms it with
 * Microsoft (Get Operation, or Get Subscription when Microsoft does not know the operation) and
 * records the subscription, setup pending. The landing page then finishes the setup without Activate.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDashboard } from "@/lib/admin/get-dashboard";
import { getSubscriptionDetail } from "@/lib/admin/get-subscription-detail";
import { listSubscriptions } from "@/lib/admin/list-subscriptions";
import { parseSubscriptionQuery } from "@/lib/admin/subscription-query";
import { db, disconnectDatabase } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { completeSetup } from "@/lib/subscriptions/complete-setup";
import { listOwnSubscriptions } from "@/lib/subscriptions/find-own-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { startJobs as startJobWorkers } from "@/tests/support/jobs";
import { sandboxControl, type PurchaseRequest, type WebhookDelivery } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };
const bob = { ...seeded.bob, roles: [] };
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;

const accountConfig = {
  companyName: "Fabrikam",
  contactName: "Alice",
  contactEmail: "alice@fabrikam.example",
  acceptTerms: "on" as const,
};

const buy = async (planId: string, quantity?: number, extra: Partial<PurchaseRequest> = {}) => {
  const purchase = await sandbox.purchase({
    offerId: "contoso-backup",
    planId,
    ...(quantity === undefined ? {} : { quantity }),
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    ...extra,
  });
  return { ...purchase, subscriptionId: purchase.subscriptionId.toLowerCase() };
};
const local = (id: string) => db().subscription.findUnique({ where: { id } });
const events = (subscriptionId: string) =>
  db().webhookEvent.findMany({ where: { subscriptionId }, orderBy: { receivedAt: "asc" } });
const settled = (subscriptionId: string, action: string, count = 1) =>
  until(
    () => events(subscriptionId).then((all) => all.filter((e) => e.action === action)),
    (rows) => rows.length >= count && rows.every((e) => !["received", "processing"].includes(e.status)),
    `${count} ${action} event(s) processed`,
  );
const audits = (subscriptionId: string, action: string) =>
  db().auditEvent.findMany({ where: { subscriptionId, action }, orderBy: { id: "asc" } });
const adminList = async (params: Record<string, string>) => {
  const parsed = parseSubscriptionQuery(params);
  if (!parsed.ok) throw new Error(parsed.reason);
  return (await listSubscriptions(parsed.query)).rows.map((row) => row.id);
};
const activateCalls = (subscriptionId: string) => sandbox.calls({ operation: "activate", subscriptionId });
const deliveryOf = (subscriptionId: string, action: string) =>
  until(
    () => sandbox.deliveries(subscriptionId).then((all) => all.find((d) => d.action === action)),
    (d): d is WebhookDelivery => Boolean(d && (d.delivered || d.attempts.length > 0)),
    `${action} delivery attempted`,
  );

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({
    webhookUrl: receiver.url,
    ackTimeoutMs: 10_000,
    webhookMaxAttempts: 4,
    webhookBackoffMs: 200,
  });
  worker = await startJobWorkers();
});
afterEach(async () => {
  await sandbox.variants([]);
  await sandbox.settings({ webhookUrl: receiver.url, webhookMaxAttempts: 4 });
});
afterAll(async () => {
  await worker?.stop();
  await receiver.close();
  await disconnectDatabase();
});

describe("the Subscribe webhook", () => {
  it("confirmed by Get Operation: the subscription is recorded Subscribed, activated by the marketplace, setup pending, before anyone lands", async () => {
    const purchase = await buy("team-auto", 5);
    expect(purchase.autoActivated).toBe(true);
    const [event] = await settled(purchase.subscriptionId, "Subscribe");
    expect(event).toMatchObject({
      operationId: purchase.subscribeOperationId,
      status: "applied",
      outcome: expect.stringContaining("confirmed by Get Operation"),
    });
    expect(await local(purchase.subscriptionId)).toMatchObject({
      status: "Subscribed",
      marketplaceStatus: "Subscribed",
      activatedBy: "marketplace",
      setupState: "pending",
      setupCompletedAt: null,
      accountConfig: null,
      planId: "team-auto",
      quantity: 5,
      termUnit: "P1M",
      beneficiaryTenantId: seeded.alice.tid,
      beneficiaryObjectId: seeded.alice.oid,
      activatedAt: expect.any(Date),
    });
    // Owned as today: the purchaser and the beneficiary see it by tid + oid; another user does not.
    expect((await listOwnSubscriptions({ actor: alice })).map((row) => row.id)).toContain(purchase.subscriptionId);
    expect((await listOwnSubscriptions({ actor: bob })).map((row) => row.id)).not.toContain(purchase.subscriptionId);
    const [completed] = await audits(purchase.subscriptionId, "purchase_completed");
    expect(completed).toMatchObject({
      actorType: "marketplace",
      detail: expect.objectContaining({ confirmedWith: "Get Operation", boughtPlanId: "team-auto", boughtQuantity: 5 }),
    });
    // Answered 200, and nobody called Activate.
    const deliveries = receiver.received.filter((r) => r.body.includes(purchase.subscriptionId));
    expect(deliveries.map((r) => r.status)).toEqual([200]);
    expect(await activateCalls(purchase.subscriptionId)).toEqual([]);
    expect(await sandbox.calls({ operation: "getOperation", subscriptionId: purchase.subscriptionId })).toEqual([
      expect.objectContaining({ status: 200 }),
    ]);
  });

  it("confirmed by Get Subscription when Microsoft's Get Operation does not know the operation (variant subscribe-operation-unknown)", async () => {
    await sandbox.variants(["subscribe-operation-unknown"]);
    const purchase = await buy("standard-auto");
    const [event] = await settled(purchase.subscriptionId, "Subscribe");
    expect(event).toMatchObject({
      status: "applied",
      outcome: expect.stringContaining("confirmed by Get Subscription"),
    });
    expect(await local(purchase.subscriptionId)).toMatchObject({
      status: "Subscribed",
      activatedBy: "marketplace",
      setupState: "pending",
      planId: "standard-auto",
      quantity: null,
    });
    expect((await audits(purchase.subscriptionId, "purchase_completed"))[0]?.detail).toMatchObject({
      confirmedWith: "Get Subscription",
    });
    const calls = await sandbox.calls({ subscriptionId: purchase.subscriptionId });
    expect(calls.filter((call) => call.operation === "getOperation").map((call) => call.status)).toEqual([404]);
    expect(calls.some((call) => call.operation === "getSubscription" && call.status === 200)).toBe(true);
    expect(calls.some((call) => call.operation === "activate")).toBe(false);
  });

  it("a redelivery, the same body posted concurrently, and another body of the same operation have one effect", async () => {
    const purchase = await buy("team-auto", 3);
    await settled(purchase.subscriptionId, "Subscribe");
    // Microsoft's retry: the same body again.
    await sandbox.redeliver(purchase.subscribeDeliveryId!);
    await until(
      async () => receiver.received.filter((r) => r.body.includes(purchase.subscriptionId)),
      (rows) => rows.length >= 2,
      "the redelivery",
    );
    const original = receiver.received.find((r) => r.body.includes(purchase.subscriptionId))!;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => receiver.post(original.body, original.authorization)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(await events(purchase.subscriptionId)).toHaveLength(1);
    // A different body for the same operation (a field Microsoft added): recorded, confirmed, and a duplicate.
    const variant = JSON.stringify({ ...(JSON.parse(original.body) as object), futureField: true });
    expect((await receiver.post(variant, original.authorization)).status).toBe(200);
    const [first, second] = await settled(purchase.subscriptionId, "Subscribe", 2);
    expect(first?.status).toBe("applied");
    expect(second).toMatchObject({ status: "duplicate", outcome: expect.stringContaining(first!.id) });
    expect(await audits(purchase.subscriptionId, "purchase_completed")).toHaveLength(1);
    expect(await audits(purchase.subscriptionId, "subscription_recorded")).toHaveLength(1);
  });

  it.each([
    { confirmedWith: "Get Subscription", variants: ["subscribe-operation-unknown"] as const },
    { confirmedWith: "Get Operation", variants: [] as const },
  ])(
    "a Subscribe arriving after a seat change changes nothing back: the newest state wins ($confirmedWith)",
    async ({ confirmedWith, variants }) => {
      await sandbox.variants(variants);
      // The Subscribe delivery fails (the portal is unreachable), so it comes late.
      await sandbox.settings({ webhookUrl: "http://127.0.0.1:9/api/marketplace/webhook", webhookMaxAttempts: 1 });
      const purchase = await buy("team-auto", 5);
      const lost = await deliveryOf(purchase.subscriptionId, "Subscribe");
      expect(lost.delivered).toBe(false);
      await sandbox.settings({ webhookUrl: receiver.url, webhookMaxAttempts: 4 });
      // The buyer lands first (the subscription is recorded from Resolve), then changes seats at Microsoft.
      await resolvePurchase({ token: purchase.token, actor: alice });
      await sandbox.act(purchase.subscriptionId, "ChangeQuantity", { quantity: 8 });
      await settled(purchase.subscriptionId, "ChangeQuantity");
      await until(
        () => local(purchase.subscriptionId),
        (row) => row?.quantity === 8,
        "8 seats",
      );
      const before = (await local(purchase.subscriptionId))!;

      await sandbox.redeliver(lost.id);
      const [late] = await settled(purchase.subscriptionId, "Subscribe");
      expect(late).toMatchObject({
        status: "applied",
        outcome: expect.stringContaining(`confirmed by ${confirmedWith}`),
      });
      const after = (await local(purchase.subscriptionId))!;
      expect(after).toMatchObject({
        quantity: 8,
        planId: "team-auto",
        status: "Subscribed",
        setupState: "pending",
        activatedBy: "marketplace",
      });
      // The older event does not move the newest event time back.
      expect(after.lastEventAt).toEqual(before.lastEventAt);
      expect(await audits(purchase.subscriptionId, "quantity_changed")).toHaveLength(1);
      expect(await audits(purchase.subscriptionId, "purchase_completed")).toHaveLength(1);
    },
  );

  it("a Subscribe arriving after a plan change keeps the new plan", async () => {
    await sandbox.settings({ webhookUrl: "http://127.0.0.1:9/api/marketplace/webhook", webhookMaxAttempts: 1 });
    const purchase = await buy("standard-auto");
    const lost = await deliveryOf(purchase.subscriptionId, "Subscribe");
    await sandbox.settings({ webhookUrl: receiver.url, webhookMaxAttempts: 4 });
    await resolvePurchase({ token: purchase.token, actor: alice });
    await sandbox.act(purchase.subscriptionId, "ChangePlan", { planId: "premium" });
    await settled(purchase.subscriptionId, "ChangePlan");
    await until(
      () => local(purchase.subscriptionId),
      (row) => row?.planId === "premium",
      "plan premium",
    );
    await sandbox.redeliver(lost.id);
    const [late] = await settled(purchase.subscriptionId, "Subscribe");
    expect(late?.status).toBe("applied");
    expect(await local(purchase.subscriptionId)).toMatchObject({ planId: "premium", termUnit: "P1Y" });
  });

  it("a Subscribe for a subscription Microsoft does not know is refused, and nothing but the event is stored", async () => {
    const purchase = await buy("standard-auto");
    await settled(purchase.subscriptionId, "Subscribe");
    const genuine = receiver.received.find((r) => r.body.includes(purchase.subscriptionId))!;
    const unknownId = "5c7e0000-0000-4000-8000-00000000dead";
    const tenantsBefore = await db().tenant.count();
    const forged = JSON.stringify({
      ...(JSON.parse(genuine.body) as Record<string, unknown>),
      id: "0f0c0000-0000-4000-8000-00000000dead",
      subscriptionId: unknownId,
    });
    expect((await receiver.post(forged, genuine.authorization)).status).toBe(200);
    const [refused] = await settled(unknownId, "Subscribe");
    expect(refused).toMatchObject({
      status: "unconfirmed",
      outcome: expect.stringContaining("knows neither this operation nor this subscription"),
    });
    expect(await local(unknownId)).toBeNull();
    expect(await db().operation.count({ where: { subscriptionId: unknownId } })).toBe(0);
    expect(await events(unknownId)).toHaveLength(1);
    expect(await db().tenant.count()).toBe(tenantsBefore);
  });

  it("a Subscribe whose purchaser tenant does not match Microsoft's subscription is refused, and changes nothing", async () => {
    await sandbox.variants(["subscribe-operation-unknown"]);
    const purchase = await buy("standard-auto");
    await settled(purchase.subscriptionId, "Subscribe");
    const before = await local(purchase.subscriptionId);
    const genuine = receiver.received.find((r) => r.body.includes(purchase.subscriptionId))!;
    const payload = JSON.parse(genuine.body) as { subscription: { purchaser: Record<string, unknown> } };
    payload.subscription.purchaser.tenantId = seeded.northwind;
    const forged = JSON.stringify({ ...payload, id: "0f0c0000-0000-4000-8000-00000000beef" });
    expect((await receiver.post(forged, genuine.authorization)).status).toBe(200);
    const rows = await settled(purchase.subscriptionId, "Subscribe", 2);
    expect(rows.find((row) => row.operationId.endsWith("beef"))).toMatchObject({
      status: "unconfirmed",
      outcome: expect.stringContaining("purchaser tenant"),
    });
    expect(await local(purchase.subscriptionId)).toEqual(before);
    expect(await audits(purchase.subscriptionId, "purchase_completed")).toHaveLength(1);
  });
});

describe("the landing page of an auto-activated purchase", () => {
  it("finishes the setup without calling Activate: retry-safe, audited once, only by a party", async () => {
    const purchase = await buy("team-auto", 4);
    await settled(purchase.subscriptionId, "Subscribe");
    const view = await resolvePurchase({ token: purchase.token, actor: alice });
    expect(view).toMatchObject({ status: "Subscribed", setupState: "pending", activatedBy: "marketplace" });
    // The console sees a buyer who has not set up the account yet.
    expect(await adminList({ q: purchase.subscriptionId, setup: "pending" })).toEqual([purchase.subscriptionId]);
    expect(await adminList({ q: purchase.subscriptionId, setup: "complete" })).toEqual([]);
    const dashboard = await getDashboard();
    expect(dashboard.attention.find((item) => item.key === "setup-pending")?.count).toBeGreaterThanOrEqual(1);
    const timeline = (await getSubscriptionDetail(purchase.subscriptionId))!.timeline;
    expect(timeline.map((entry) => `${entry.kind} ${"action" in entry ? entry.action : ""}`)).toEqual(
      expect.arrayContaining(["webhook Subscribe", "audit purchase_completed", "audit subscription_recorded"]),
    );
    // A token of someone else's subscription: today's "not yours".
    await expect(resolvePurchase({ token: purchase.token, actor: bob })).rejects.toMatchObject({ code: "not_owner" });
    await expect(
      completeSetup({ subscriptionId: purchase.subscriptionId, accountConfig, actor: bob }),
    ).rejects.toMatchObject({ code: "not_owner" });

    // A double submit: exactly one completes it.
    const outcomes = await Promise.all(
      Array.from({ length: 3 }, () =>
        completeSetup({ subscriptionId: purchase.subscriptionId, accountConfig, actor: alice }),
      ),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["already_complete", "already_complete", "completed"]);
    expect(await local(purchase.subscriptionId)).toMatchObject({
      setupState: "complete",
      setupCompletedAt: expect.any(Date),
      accountConfig: expect.objectContaining({ companyName: "Fabrikam" }),
      ownerTenantId: seeded.alice.tid,
      ownerUserOid: seeded.alice.oid,
      status: "Subscribed",
    });
    expect(await audits(purchase.subscriptionId, "setup_completed")).toHaveLength(1);
    expect(await adminList({ q: purchase.subscriptionId, setup: "complete" })).toEqual([purchase.subscriptionId]);
    // Landing again: today's "already active" (the page words it "Your account is set up").
    expect(await resolvePurchase({ token: purchase.token, actor: alice })).toMatchObject({
      status: "Subscribed",
      setupState: "complete",
      activatedBy: "marketplace",
    });
    // A stale activation form posted afterwards changes nothing and calls nothing.
    expect(
      await activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig, actor: alice }),
    ).toMatchObject({ outcome: "already_active" });
    expect(await activateCalls(purchase.subscriptionId)).toEqual([]);
    expect(await db().operation.count({ where: { subscriptionId: purchase.subscriptionId, action: "Activate" } })).toBe(
      0,
    );
  });

  it("the activation form of a subscription that turned out live finishes the setup instead of activating", async () => {
    const purchase = await buy("standard-auto");
    await settled(purchase.subscriptionId, "Subscribe");
    expect(
      await activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig, actor: alice }),
    ).toMatchObject({ outcome: "already_active" });
    expect(await local(purchase.subscriptionId)).toMatchObject({ setupState: "complete" });
    expect(await audits(purchase.subscriptionId, "setup_completed")).toHaveLength(1);
    expect(await activateCalls(purchase.subscriptionId)).toEqual([]);
  });

  it("a classic plan keeps today's flow: no Subscribe, Activate once, and the setup completes with the activation", async () => {
    const purchase = await buy("premium-3y");
    expect(purchase).toMatchObject({ autoActivated: false, subscribeOperationId: null });
    const view = await resolvePurchase({ token: purchase.token, actor: alice });
    expect(view).toMatchObject({
      status: "PendingFulfillmentStart",
      setupState: "pending",
      activatedBy: null,
      term: expect.objectContaining({ unit: "P3Y", chargeDuration: "P1M" }),
    });
    await expect(
      completeSetup({ subscriptionId: purchase.subscriptionId, accountConfig, actor: alice }),
    ).rejects.toMatchObject({ code: "setup_not_possible" });
    const result = await activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig, actor: alice });
    expect(result.outcome).toBe("activated");
    expect(await local(purchase.subscriptionId)).toMatchObject({
      status: "Subscribed",
      activatedBy: "portal",
      setupState: "complete",
      setupCompletedAt: expect.any(Date),
      termChargeDuration: "P1M",
    });
    expect(await activateCalls(purchase.subscriptionId)).toHaveLength(1);
    expect(await sandbox.deliveries(purchase.subscriptionId)).toEqual([]);
    expect(await events(purchase.subscriptionId)).toEqual([]);
    expect(await audits(purchase.subscriptionId, "purchase_completed")).toEqual([]);
    expect(await audits(purchase.subscriptionId, "setup_completed")).toEqual([]);
  });
});
