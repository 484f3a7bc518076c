/**
 * The portal against each variant of Microsoft's behaviour the sandbox can play (sandbox/marketplace
 * README, "Variants"; marketplace-contract.md §15), over HTTP on a real database: no false failure, no
 * change sent twice, no customer left locked or suspended. Each test turns on one variant (or all)
 * and off again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { listJobs } from "@/lib/jobs/job-store";
import { acknowledgeOperationJob } from "@/lib/operations/acknowledge-operation";
import { PENDING_STATUSES } from "@/lib/operations/pending-change";
import { jobsOf, startJobs as startJobWorkers } from "@/tests/support/jobs";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { reviewAndConfirm } from "@/tests/support/customer-change";
import { until } from "@/tests/support/until";
import { sandboxControl, withVariants, type WebhookDelivery } from "@/tests/support/sandbox-control";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import {
  alice,
  aliceAccountConfig as config,
  localSubscription as local,
  activeForAlice as active,
  purchasedByAlice as purchased,
} from "@/tests/support/alice-purchases";

const sandbox = sandboxControl();
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;

const changes = (id: string) =>
  db().operation.findMany({
    where: { subscriptionId: id, action: { not: "Activate" } },
    orderBy: { createdAt: "asc" },
  });
const settled = (id: string, count = 1) =>
  until(
    () => changes(id),
    (rows) =>
      rows.length >= count && rows.every((row) => !["Requested", "NotStarted", "InProgress"].includes(row.status)),
    "changes settled",
    30_000,
  );
const events = (id: string) =>
  db().webhookEvent.findMany({ where: { subscriptionId: id }, orderBy: { receivedAt: "asc" } });
const eventsSettled = (id: string, action: string) =>
  until(
    () => events(id),
    (rows) => rows.some((e) => e.action === action && !["received", "processing"].includes(e.status)),
    `${action} processed`,
    30_000,
  );
const acknowledged = (id: string, action: string) =>
  until(
    () => sandbox.deliveries(id).then((all) => all.filter((d) => d.action === action).at(-1)),
    (d): d is WebhookDelivery => Boolean(d?.acknowledgement),
    `${action} acknowledged at Microsoft`,
    30_000,
  );
/** Calls of one method to one subscription's resource that reached the sandbox. */
const callsTo = async (id: string, method: string, since: Date) =>
  (await sandbox.calls(since)).filter(
    (call) => call.method === method && call.path.startsWith(`/api/saas/subscriptions/${id}?`),
  );
const operationsAtMicrosoft = async (id: string) => (await sandbox.subscription(id)).operations;
const failedJobsSince = async (since: Date) =>
  (await listJobs({ states: ["failed"], limit: 500 })).filter((job) => job.completedOn && job.completedOn >= since)
    .length;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({
    webhookUrl: receiver.url,
    operationDelayMs: 300,
    ackTimeoutMs: 10_000,
    webhookMaxAttempts: 4,
    webhookBackoffMs: 200,
    slowActivationMs: 1500,
    applyDelayMs: 1500,
    webhookHoldMs: 1000,
  });
  worker = await startJobWorkers();
});
afterEach(async () => {
  await sandbox.variants([]);
  await sandbox.clearFaults();
});
afterAll(async () => {
  await worker?.stop();
  await sandbox.settings({ operationDelayMs: 2000 });
  await receiver.close();
  await disconnectDatabase();
});

describe("text-bodies: 200/202 with a text body where the contract defines none", () => {
  it("activation, a customer change and an acknowledgement all succeed; nothing is sent twice", async () => {
    const testStarted = new Date();
    await withVariants(["text-bodies"], async () => {
      const since = new Date();
      const id = await purchased();
      await expect(
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "activated" });
      expect(
        (await db().operation.findFirstOrThrow({ where: { subscriptionId: id, action: "Activate" } })).status,
      ).toBe("Succeeded");

      await reviewAndConfirm({
        subscriptionId: id,
        actor: alice,
        change: { kind: "quantity", quantity: "7" },
      });
      const [change] = await settled(id);
      expect(change).toMatchObject({ status: "Succeeded", marketplaceOperationId: expect.any(String) });
      expect(await callsTo(id, "PATCH", since)).toHaveLength(1);
      expect((await local(id)).quantity).toBe(7);

      await sandbox.act(id, "ChangeQuantity", { quantity: 9 });
      expect((await acknowledged(id, "ChangeQuantity")).acknowledgement).toMatchObject({ status: "Success" });
      const event = (await eventsSettled(id, "ChangeQuantity")).find((e) => e.requestSource === "Azure");
      await until(
        () => db().webhookEvent.findUniqueOrThrow({ where: { id: event!.id } }),
        (row) => row.acknowledgement === "Success",
        "acknowledgement recorded as received",
      );
    });
    expect(await failedJobsSince(testStarted)).toBe(0);
  });
});

describe("bare-arrays and unknown-fields: list answers without their wrapper, extra fields, statuses with stray spaces", () => {
  it("plans are listed, a plan change goes through, and statuses are recognised", async () => {
    await withVariants(["bare-arrays", "unknown-fields"], async () => {
      const id = await active();
      expect((await local(id)).status).toBe("Subscribed");
      await reviewAndConfirm({
        subscriptionId: id,
        actor: alice,
        change: { kind: "plan", planId: "enterprise-seats" },
      });
      const [change] = await settled(id);
      expect(change?.status).toBe("Succeeded");
      expect((await local(id)).planId).toBe("enterprise-seats");
    });
  });
});

describe("notify-only-reinstate: Microsoft reinstates without waiting for us", () => {
  it("the customer gets access back, and no acknowledgement is sent for it", async () => {
    const id = await active();
    await withVariants(["notify-only-reinstate"], async () => {
      await sandbox.act(id, "Suspend");
      await until(
        () => local(id),
        (row) => row.status === "Suspended",
        "suspended",
      );
      await sandbox.act(id, "Reinstate");
      const row = await until(
        () => local(id),
        (r) => r.status === "Subscribed",
        "reinstated",
      );
      expect(row.suspendedAt).toBeNull();
      const [event] = (await eventsSettled(id, "Reinstate")).filter((e) => e.action === "Reinstate");
      expect(event).toMatchObject({ status: "applied", acknowledgement: null });
      expect(await jobsOf(acknowledgeOperationJob, { data: { field: "subscriptionId", equals: id } })).toEqual([]);
    });
  });
});

describe("slow-activation: Activate accepted, PendingFulfillmentStart for a while", () => {
  it("the activation is followed to Subscribed by itself", async () => {
    await withVariants(["slow-activation"], async () => {
      const id = await purchased();
      await expect(
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "processing" });
      await until(
        () => local(id),
        (row) => row.status === "Subscribed",
        "followed to Subscribed",
        20_000,
      );
      expect(
        (await db().operation.findFirstOrThrow({ where: { subscriptionId: id, action: "Activate" } })).status,
      ).toBe("Succeeded");
    });
  });
});

describe("lost-answer: PATCH/DELETE processed by Microsoft, the answer never arrives", () => {
  it("a seat change is adopted from Microsoft's operations, never sent twice, and ends with its true outcome", async () => {
    const id = await active();
    await withVariants(["lost-answer"], async () => {
      const since = new Date();
      await reviewAndConfirm({
        subscriptionId: id,
        actor: alice,
        change: { kind: "quantity", quantity: "15" },
      });
      const [change] = await settled(id);
      expect(change).toMatchObject({ status: "Succeeded", marketplaceOperationId: expect.any(String) });
      expect(await callsTo(id, "PATCH", since)).toHaveLength(1);
      expect((await operationsAtMicrosoft(id)).filter((op) => op.action === "ChangeQuantity")).toHaveLength(1);
      expect((await local(id)).quantity).toBe(15);
    });
  });

  it("a cancellation is sent once and the subscription ends Unsubscribed", async () => {
    const id = await active();
    await withVariants(["lost-answer"], async () => {
      const since = new Date();
      await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "cancel" } });
      await until(
        () => local(id),
        (row) => row.status === "Unsubscribed",
        "cancelled",
        30_000,
      );
      expect(await callsTo(id, "DELETE", since)).toHaveLength(1);
      expect((await operationsAtMicrosoft(id)).filter((op) => op.action === "Unsubscribe")).toHaveLength(1);
      const [change] = await settled(id);
      expect(change?.status).toBe("Succeeded");
    });
  });

  it("the customer can make the next change: nothing stays locked", async () => {
    const id = await active();
    await withVariants(["lost-answer"], async () => {
      await reviewAndConfirm({
        subscriptionId: id,
        actor: alice,
        change: { kind: "quantity", quantity: "6" },
      });
      await settled(id, 1);
      await reviewAndConfirm({
        subscriptionId: id,
        actor: alice,
        change: { kind: "quantity", quantity: "8" },
      });
      await settled(id, 2);
      expect((await local(id)).quantity).toBe(8);
    });
  });
});

describe("lost-answer and activate-not-idempotent: an Activate processed by Microsoft, its answer lost", () => {
  const activateCalls = (id: string, since: Date) =>
    sandbox.calls({ since, operation: "activate", subscriptionId: id });
  const activation = (id: string) =>
    db().operation.findFirstOrThrow({ where: { subscriptionId: id, action: "Activate" } });

  it("lost-answer: the portal reads Microsoft before anything else, settles the activation, and sends Activate once", async () => {
    await withVariants(["lost-answer"], async () => {
      const since = new Date();
      const id = await purchased();
      await expect(
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "activated" });
      expect(await activation(id)).toMatchObject({ status: "Succeeded" });
      const calls = await activateCalls(id, since);
      expect(calls.map((call) => call.lostAnswer?.variant)).toEqual(["lost-answer"]);
      expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "activation_failed" } })).toBe(0);
    });
  });

  it("with activate-not-idempotent too: no false refusal, and no repeat once Microsoft shows it activated", async () => {
    await withVariants(["lost-answer", "activate-not-idempotent"], async () => {
      const since = new Date();
      const id = await purchased();
      await expect(
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "activated" });
      expect(await activation(id)).toMatchObject({ status: "Succeeded" });
      expect(await activateCalls(id, since)).toHaveLength(1);
      expect((await local(id)).status).toBe("Subscribed");
      // The buyer comes back (another tab, a refresh): nothing more is sent.
      await expect(
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "already_active" });
      expect(await activateCalls(id, since)).toHaveLength(1);
      expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "activation_failed" } })).toBe(0);
    });
  });

  it("activate-not-idempotent: two activations at once (a double-click) both end activated, the repeat's 400 read as 'already activated'", async () => {
    await withVariants(["activate-not-idempotent"], async () => {
      const id = await purchased();
      const results = await Promise.all([
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
      ]);
      for (const result of results) expect(["activated", "already_active", "processing"]).toContain(result.outcome);
      await until(
        () => local(id),
        (row) => row.status === "Subscribed",
        "activated",
        20_000,
      );
      await until(
        () => db().operation.findMany({ where: { subscriptionId: id, action: "Activate" } }),
        (rows) => rows.every((row) => row.status === "Succeeded"),
        "every activation settled as Succeeded",
        20_000,
      );
      expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "activation_failed" } })).toBe(0);
    });
  });

  it("with slow-activation too: a 400 to a repeat while Microsoft still shows it pending is not a refusal; the activation is followed to Subscribed", async () => {
    const testStarted = new Date();
    await withVariants(["lost-answer", "activate-not-idempotent", "slow-activation"], async () => {
      const since = new Date();
      const id = await purchased();
      await expect(
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "processing" });
      await until(
        () => local(id),
        (row) => row.status === "Subscribed",
        "followed to Subscribed",
        20_000,
      );
      expect(await activation(id)).toMatchObject({ status: "Succeeded" });
      expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "activation_failed" } })).toBe(0);
      // Activate was sent again only after a read showed the subscription still pending.
      const calls = await sandbox.calls({ since, subscriptionId: id });
      const activates = calls.flatMap((call, index) => (call.operation === "activate" ? [index] : []));
      for (const [n, index] of activates.entries()) {
        if (n === 0) continue;
        const previous = activates[n - 1] ?? 0;
        expect(calls.slice(previous + 1, index).some((call) => call.operation === "getSubscription")).toBe(true);
      }
    });
    expect(await failedJobsSince(testStarted)).toBe(0);
  });
});

describe("ack-answer-lost: the acknowledgement is applied but its answer lost; the repeat gets 409", () => {
  it("the acknowledgement is recorded as received (Microsoft: Succeeded), not as failed", async () => {
    const id = await active();
    await withVariants(["ack-answer-lost"], async () => {
      await sandbox.act(id, "ChangeQuantity", { quantity: 11 });
      expect((await acknowledged(id, "ChangeQuantity")).acknowledgement).toMatchObject({ status: "Success" });
      const [event] = await until(
        () => events(id),
        (rows) => Boolean(rows.find((e) => e.action === "ChangeQuantity")?.acknowledgement),
        "acknowledgement recorded",
      );
      expect(event?.acknowledgement).toBe("Success (Microsoft: Succeeded)");
      expect(await jobsOf(acknowledgeOperationJob, { states: ["failed"] })).toEqual([]);
      await until(
        () => local(id),
        (row) => row.quantity === 11,
        "seats",
      );
    });
  });
});

describe("delayed-apply: an accepted change shows in the subscription only a moment later", () => {
  it("the read right after the acknowledgement does not undo the seats; they are confirmed once Microsoft shows them", async () => {
    const id = await active();
    await withVariants(["delayed-apply"], async () => {
      await sandbox.act(id, "ChangeQuantity", { quantity: 7 });
      await acknowledged(id, "ChangeQuantity");
      const operation = await until(
        () => db().operation.findFirst({ where: { subscriptionId: id, action: "ChangeQuantity" } }),
        (op) => op?.status === "Succeeded",
        "acknowledged",
      );
      expect((await sandbox.subscription(id)).subscription.quantity).toBe(5); // Microsoft does not show it yet…
      expect((await local(id)).quantity).toBe(7); // …and our copy keeps what was accepted
      await until(
        () => db().operation.findUniqueOrThrow({ where: { id: operation!.id } }),
        (op) => op.confirmUntil === null,
        "confirmed",
        20_000,
      );
      expect((await local(id)).quantity).toBe(7);
      expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "accepted_change_not_shown" } })).toBe(
        0,
      );
      const seatChanges = await db().auditEvent.findMany({
        where: { subscriptionId: id, action: { in: ["quantity_changed", "status_synced"] } },
      });
      expect(seatChanges.map((row) => row.action)).toEqual(["quantity_changed"]); // no flip-flop 7 → 5 → 7
    });
  });
});

describe("reordered-webhooks: a newer delivery overtakes an older one", () => {
  it("Reinstate arriving before the Suspend it follows: the customer ends with access, as at Microsoft", async () => {
    const id = await active();
    await withVariants(["reordered-webhooks"], async () => {
      await sandbox.act(id, "Suspend");
      await sandbox.act(id, "Reinstate");
      await acknowledged(id, "Reinstate");
      await eventsSettled(id, "Suspend");
      await until(
        () => sandbox.subscription(id),
        (s) => s.subscription.saasSubscriptionStatus === "Subscribed",
        "Microsoft reinstated",
      );
      expect((await events(id)).map((e) => e.action)).toEqual(["Reinstate", "Suspend"]); // they did arrive out of order
      // Whether the Suspend was found stale or applied while Microsoft still showed it, the customer ends with access.
      await until(
        () => local(id),
        (row) => row.status === "Subscribed",
        "access",
        20_000,
      );
      const statusChanges = await db().auditEvent.findMany({
        where: { subscriptionId: id, toStatus: { not: null } },
        orderBy: { id: "asc" },
      });
      expect(statusChanges.at(-1)?.toStatus).toBe("Subscribed");
    });
  });
});

describe("every variant at once", () => {
  it("activate, a marketplace change, customer plan and seat changes and a cancellation each reach Microsoft once and end as Microsoft says", async () => {
    await withVariants("all", async () => {
      const since = new Date();
      const id = await purchased();
      await activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice });
      await until(
        () => local(id),
        (row) => row.status === "Subscribed",
        "activated",
        20_000,
      );

      await sandbox.act(id, "ChangeQuantity", { quantity: 6 });
      await acknowledged(id, "ChangeQuantity");
      await until(
        () => local(id),
        (row) => row.quantity === 6,
        "marketplace change",
        20_000,
      );
      await until(
        () => db().operation.findMany({ where: { subscriptionId: id, confirmUntil: { not: null } } }),
        (rows) => rows.length === 0,
        "confirmed",
        20_000,
      );

      await reviewAndConfirm({
        subscriptionId: id,
        actor: alice,
        change: { kind: "plan", planId: "enterprise-seats" },
      });
      await until(
        () => changes(id),
        // Every operation, not only ours: Microsoft's notice of our change may still be in progress,
        // and the portal rightly refuses a second change until it has ended.
        (rows) => rows.length > 1 && rows.every((row) => !PENDING_STATUSES.includes(row.status)),
        "plan change settled",
        30_000,
      );
      await reviewAndConfirm({
        subscriptionId: id,
        actor: alice,
        change: { kind: "quantity", quantity: "12" },
      });
      await until(
        () => changes(id),
        (rows) =>
          rows.filter((row) => row.source === "Customer").length === 2 &&
          rows.every((row) => !PENDING_STATUSES.includes(row.status)),
        "seat change settled",
        30_000,
      );
      await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "cancel" } });
      await until(
        () => local(id),
        (row) => row.status === "Unsubscribed",
        "cancelled",
        30_000,
      );
      await settled(id, 4);
      // Microsoft shows the accepted seats a moment late (delayed-apply), also after the cancellation.
      await until(
        () => db().operation.count({ where: { subscriptionId: id, confirmUntil: { not: null } } }),
        (open) => open === 0,
        "accepted changes shown by Microsoft",
        20_000,
      );

      const customer = (await changes(id)).filter((row) => row.source === "Customer");
      expect(customer.map((row) => [row.action, row.status])).toEqual([
        ["ChangePlan", "Succeeded"],
        ["ChangeQuantity", "Succeeded"],
        ["Unsubscribe", "Succeeded"],
      ]);
      // A try the gateway refused (throttle-no-retry-after's 429) never reached the API.
      const processed = async (method: string) =>
        (await callsTo(id, method, since)).filter((call) => call.answeredBy === undefined);
      expect(await processed("PATCH")).toHaveLength(2);
      expect(await processed("DELETE")).toHaveLength(1);
      const atMicrosoft = (await operationsAtMicrosoft(id)).map((op) => op.action);
      expect(atMicrosoft.filter((action) => action === "ChangePlan")).toHaveLength(1);
      expect(atMicrosoft.filter((action) => action === "Unsubscribe")).toHaveLength(1);
      expect(await local(id)).toMatchObject({ planId: "enterprise-seats", quantity: 12, status: "Unsubscribed" });
    });
  }, 120_000);
});
