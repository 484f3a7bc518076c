/**
 * Customer self-service against the sandbox over HTTP on a real database: plan change, seat
 * change and cancellation go through the job queue (PATCH/DELETE → Operation-Location → webhook
 * and polling), never blocking the request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { WAITING_STATES } from "@/lib/jobs/job-store";
import { followOperationJob } from "@/lib/operations/follow-operation";
import { jobsOf, startJobs as startJobWorkers } from "@/tests/support/jobs";
import { until } from "@/tests/support/until";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { activateSubscription } from "./activate-subscription";
import { reviewAndConfirm } from "@/tests/support/customer-change";
import { reviewSubscriptionChange } from "./review-subscription-change";
import { listOwnSubscriptions } from "./find-own-subscription";
import { readSubscription } from "./read-subscription";
import { resolvePurchase } from "./resolve-purchase";
import { syncSubscription } from "./sync-subscription";

// The publisher allows at most 50 seats on pro-seats (the plan itself allows 100).
process.env.PUBLISHER_POLICY = JSON.stringify({ seatLimits: { "pro-seats": { max: 50 } } });

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };
const nina = { ...seeded.nina, roles: [] };
const carl = { ...seeded.carl, roles: [] };
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;
const startJobs = async () => {
  worker = await startJobWorkers();
};

async function activeSubscription(options: { planId?: string; quantity?: number; csp?: boolean } = {}) {
  const planId = options.planId ?? "pro-seats";
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId,
    quantity: planId === "basic" ? undefined : (options.quantity ?? 5),
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    ...(options.csp ? { csp: true, purchaser: { tid: seeded.carl.tid, oid: seeded.carl.oid } } : {}),
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
const operations = (id: string) =>
  db().operation.findMany({
    where: { subscriptionId: id, action: { not: "Activate" } },
    orderBy: { createdAt: "asc" },
  });
const settled = (id: string) =>
  until(
    () => operations(id),
    (rows) => rows.length > 0 && rows.every((row) => !["Requested", "NotStarted", "InProgress"].includes(row.status)),
    "operation settled",
  );

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({ webhookUrl: receiver.url, operationDelayMs: 300, ackTimeoutMs: 10_000 });
  await startJobs();
});
afterAll(async () => {
  await worker?.stop();
  await sandbox.settings({ operationDelayMs: 2000 });
  await receiver.close();
  await disconnectDatabase();
});

describe("plan change", () => {
  it("returns at once, then Microsoft's operation completes and the new plan is applied", async () => {
    const id = await activeSubscription();
    const { operationId } = await reviewAndConfirm({
      subscriptionId: id,
      actor: alice,
      change: { kind: "plan", planId: "enterprise-seats" },
    });
    const [requested] = await operations(id);
    expect(requested).toMatchObject({
      id: operationId,
      action: "ChangePlan",
      source: "Customer",
      requestedPlanId: "enterprise-seats",
      actorOid: seeded.alice.oid,
    });
    const [done] = await settled(id);
    expect(done).toMatchObject({ status: "Succeeded", marketplaceOperationId: expect.any(String) });
    expect((await local(id)).planId).toBe("enterprise-seats");
    expect((await sandbox.subscription(id)).subscription.planId).toBe("enterprise-seats");
    const audit = await db().auditEvent.findMany({
      where: { subscriptionId: id, action: { in: ["change_requested", "plan_changed"] } },
    });
    expect(audit.find((row) => row.action === "change_requested")).toMatchObject({
      actorType: "user",
      actorOid: seeded.alice.oid,
    });
  });

  it("is recorded without waiting for Microsoft (nothing is sent while no worker runs)", async () => {
    const id = await activeSubscription();
    await worker?.stop();
    try {
      const since = new Date();
      await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "plan", planId: "basic" } });
      expect((await operations(id))[0]?.status).toBe("Requested");
      expect(
        (await sandbox.calls(since)).filter((call) => call.method === "PATCH" && call.path.includes(id)),
      ).toHaveLength(0);
      // The account list shows the change in progress.
      expect((await listOwnSubscriptions({ actor: alice })).find((row) => row.id === id)?.operations).toEqual([
        expect.objectContaining({ action: "ChangePlan", status: "Requested" }),
      ]);
    } finally {
      await startJobs();
    }
    await settled(id);
    expect((await local(id)).planId).toBe("basic");
  });

  it("ends Failed with Microsoft's reason when the operation fails, and changes nothing", async () => {
    const id = await activeSubscription();
    await sandbox.settings({ failNextOperations: 1 });
    await reviewAndConfirm({
      subscriptionId: id,
      actor: alice,
      change: { kind: "plan", planId: "enterprise-seats" },
    });
    const [failed] = await settled(id);
    expect(failed?.status).toBe("Failed");
    expect(failed?.errorMessage).toBeTruthy();
    expect((await local(id)).planId).toBe("pro-seats");
  });

  it("refuses a second change while one is pending, and a double submit records one", async () => {
    const id = await activeSubscription();
    await worker?.stop();
    try {
      const results = await Promise.allSettled([
        reviewAndConfirm({
          subscriptionId: id,
          actor: alice,
          change: { kind: "plan", planId: "enterprise-seats" },
        }),
        reviewAndConfirm({
          subscriptionId: id,
          actor: alice,
          change: { kind: "plan", planId: "enterprise-seats" },
        }),
      ]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      expect(results.find((result) => result.status === "rejected")).toMatchObject({
        reason: { code: "change_pending" },
      });
      await expect(
        reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "7" } }),
      ).rejects.toMatchObject({ code: "change_pending" });
      expect(await operations(id)).toHaveLength(1);
    } finally {
      await startJobs();
    }
    await settled(id);
  });

  it("refuses a plan of another offer or the current plan, with a message, recording nothing", async () => {
    const id = await activeSubscription();
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "plan", planId: "standard" } }),
    ).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("not available") });
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "plan", planId: "pro-seats" } }),
    ).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("already") });
    expect(await operations(id)).toHaveLength(0);
  });
});

describe("plan change and the publisher's policy", () => {
  it("is judged on the seats it ends with: 80 seats kept on a plan the publisher caps at 50 is refused at review and at confirm", async () => {
    const id = await activeSubscription({ planId: "enterprise-seats", quantity: 80 });
    const review = await reviewSubscriptionChange({
      subscriptionId: id,
      actor: alice,
      change: { kind: "plan", planId: "pro-seats" },
    });
    // The plan named as the customer knows it; the page words it in the customer's language.
    expect(review?.review).toEqual({
      state: "invalid",
      refusal: { code: "policy-seats-maximum", plan: "Professional (per user)", limit: 50 },
    });
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "plan", planId: "pro-seats" } }),
    ).rejects.toMatchObject({ code: "invalid_input", message: "Professional (per user) allows at most 50 seats." });
    expect(await operations(id)).toHaveLength(0);
  });
});

describe("seat change", () => {
  it("applies a valid seat count", async () => {
    const id = await activeSubscription();
    await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "12" } });
    await settled(id);
    expect((await local(id)).quantity).toBe(12);
    expect((await sandbox.subscription(id)).subscription.quantity).toBe(12);
  });

  it.each([["0"], ["-1"], ["2.5"], ["101"], ["abc"], ["99999999999"], [""], [null]])(
    "refuses %j and records nothing",
    async (quantity) => {
      const id = await activeSubscription();
      await expect(
        reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity } }),
      ).rejects.toMatchObject({ code: "invalid_input" });
      expect(await operations(id)).toHaveLength(0);
    },
  );

  it("refuses seats the publisher's policy does not allow, at once and with its reason, recording nothing", async () => {
    const id = await activeSubscription();
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "60" } }),
    ).rejects.toMatchObject({ code: "invalid_input", message: "Professional (per user) allows at most 50 seats." });
    expect(await operations(id)).toHaveLength(0);
  });

  it("refuses seats on a flat-rate plan", async () => {
    const id = await activeSubscription({ planId: "basic" });
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "3" } }),
    ).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("flat price") });
  });
});

describe("changes in a row", () => {
  const openFollowJobs = () => jobsOf(followOperationJob, { states: [...WAITING_STATES, "active"] });

  it("a seat change straight after a plan change: each settles with Microsoft's values, and the first change's late poll does not undo the second", async () => {
    const id = await activeSubscription();
    await reviewAndConfirm({
      subscriptionId: id,
      actor: alice,
      change: { kind: "plan", planId: "enterprise-seats" },
    });
    await settled(id);
    expect((await local(id)).planId).toBe("enterprise-seats");
    const { operationId } = await reviewAndConfirm({
      subscriptionId: id,
      actor: alice,
      change: { kind: "quantity", quantity: "25" },
    });
    await settled(id);
    // When the customer's page stops showing "pending", the row already holds Microsoft's result.
    expect((await local(id)).quantity).toBe(25);
    const ours = new Set((await operations(id)).map((row) => row.id));
    await until(
      openFollowJobs,
      (jobs) => !jobs.some((job) => ours.has(String(job.data.operationId))),
      "both operations' polls finished",
      30_000,
    );
    expect(await local(id)).toMatchObject({ planId: "enterprise-seats", quantity: 25 });
    expect((await operations(id)).find((row) => row.id === operationId)?.status).toBe("Succeeded");
  });

  it("an older read of Microsoft's subscription never overwrites a newer one, also when both are stored at once", async () => {
    const id = await activeSubscription({ quantity: 5 });
    const older = await readSubscription(id);
    await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "12" } });
    await settled(id);
    const newer = await readSubscription(id);
    expect([older.subscription.quantity, newer.subscription.quantity]).toEqual([5, 12]);

    const store = (snapshot: typeof older) =>
      db().$transaction((tx) => syncSubscription(tx, { snapshot, actor: { actorType: "system" }, reason: "test" }));
    await db().subscription.update({ where: { id }, data: { quantity: 1, lastSyncedAt: null } });
    await Promise.all([store(newer), store(older)]);
    expect(await local(id)).toMatchObject({ quantity: 12, lastSyncedAt: newer.readAt });
    await store(older); // late, alone
    expect((await local(id)).quantity).toBe(12);
  });
});

describe("cancel", () => {
  it("becomes Unsubscribed when Microsoft confirms, with data kept", async () => {
    const id = await activeSubscription();
    await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "cancel" } });
    await until(
      () => local(id),
      (row) => row.status === "Unsubscribed",
      "Unsubscribed",
    );
    expect((await local(id)).dataRetainedUntil).toBeInstanceOf(Date);
    expect((await sandbox.subscription(id)).subscription.saasSubscriptionStatus).toBe("Unsubscribed");
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "plan", planId: "basic" } }),
    ).rejects.toMatchObject({ code: "change_not_allowed" });
  });
});

describe("who may change", () => {
  it("answers not found to a user of another tenant, and changes nothing", async () => {
    const id = await activeSubscription();
    for (const change of [
      { kind: "plan", planId: "basic" },
      { kind: "quantity", quantity: "9" },
      { kind: "cancel" },
    ] as const) {
      await expect(reviewAndConfirm({ subscriptionId: id, actor: nina, change })).rejects.toMatchObject({
        code: "not_owner",
      });
    }
    expect(await operations(id)).toHaveLength(0);
  });

  it("shows no change controls for a CSP purchase: even its partner cannot change it from here", async () => {
    const id = await activeSubscription({ csp: true });
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "8" } }),
    ).rejects.toMatchObject({ code: "change_not_allowed", message: expect.stringContaining("partner") });
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: carl, change: { kind: "cancel" } }),
    ).rejects.toMatchObject({ code: "change_not_allowed" });
  });
});
