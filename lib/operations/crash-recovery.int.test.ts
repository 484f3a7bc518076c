/**
 * What a `kill -9` at an awkward moment leaves behind, recreated in the database exactly as the
 * dead process left it, then handed to a fresh worker: a change sent to Microsoft whose 202 was
 * never recorded, an activation that died mid-way, a change never sent, and a change whose
 * outcome nobody learned. Each must end with its true outcome, with nothing sent to Microsoft twice
 * and no customer left locked out of self-service.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { enqueue } from "@/lib/jobs/enqueue";
import { followActivationJob } from "@/lib/operations/follow-activation";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { deleteJobs, jobsOf, startJobs as startJobWorkers } from "@/tests/support/jobs";
import { marketplace } from "@/lib/marketplace";
import { reconcileSubscriptions } from "@/lib/reconciliation/reconcile-subscriptions";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { describeSubscription } from "@/lib/subscriptions/describe-subscription";
import { reviewAndConfirm } from "@/tests/support/customer-change";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { until } from "@/tests/support/until";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { confirmSubmittedChange, confirmSubmittedChangeJob } from "./confirm-submitted-change";
import { submitSubscriptionChangeJob } from "./submit-subscription-change";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };
const config = {
  companyName: "Fabrikam",
  contactName: "Alice",
  contactEmail: "alice@fabrikam.example",
  acceptTerms: "on" as const,
};
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;
const startJobs = async () => {
  worker = await startJobWorkers();
};
const stopJobs = async () => {
  await worker?.stop();
  worker = undefined;
};

async function purchased(quantity = 5) {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  return purchase.subscriptionId;
}
async function active() {
  const id = await purchased();
  await activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice });
  return id;
}
const local = (id: string) => db().subscription.findUniqueOrThrow({ where: { id } });
const changes = (id: string) =>
  db().operation.findMany({
    where: { subscriptionId: id, action: { not: "Activate" } },
    orderBy: { createdAt: "asc" },
  });
const callsTo = async (id: string, method: string, since: Date) =>
  (await sandbox.calls(since)).filter(
    (call) => call.method === method && call.path.startsWith(`/api/saas/subscriptions/${id}?`),
  );

/** A customer's change as recorded by the request, before any worker touched it. */
async function requested(id: string, quantity: number) {
  await stopJobs();
  const { operationId } = await reviewAndConfirm({
    subscriptionId: id,
    actor: alice,
    change: { kind: "quantity", quantity: String(quantity) },
  });
  return operationId;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({ webhookUrl: receiver.url, operationDelayMs: 300, ackTimeoutMs: 10_000 });
});
afterEach(async () => {
  await sandbox.clearFaults();
  if (!worker) await startJobs();
});
afterAll(async () => {
  await stopJobs();
  await sandbox.settings({ operationDelayMs: 2000 });
  await receiver.close();
  await disconnectDatabase();
});

describe("killed between Microsoft's 202 and our record", () => {
  it("after the restart the change is adopted from Microsoft, not sent again, and the customer sees it succeed", async () => {
    const id = await active();
    const since = new Date();
    const operationId = await requested(id, 15);
    // The dead process: claimed the change, sent the PATCH, got 202, died before writing it down.
    await db().operation.update({ where: { id: operationId }, data: { submittedAt: new Date() } });
    await marketplace().changeQuantity(id, 15, { correlationId: operationId });
    await startJobs(); // the restarted worker retries the submit job
    const [change] = await until(
      () => changes(id),
      (rows) => rows[0]?.status === "Succeeded",
      "change settled",
      30_000,
    );
    expect(change).toMatchObject({ id: operationId, marketplaceOperationId: expect.any(String) });
    expect(await callsTo(id, "PATCH", since)).toHaveLength(1);
    expect((await local(id)).quantity).toBe(15);
    expect((await sandbox.subscription(id)).operations.filter((op) => op.action === "ChangeQuantity")).toHaveLength(1);
    const page = await describeSubscription({ subscriptionId: id, actor: alice });
    expect(page?.pending).toBeNull();
    expect(page?.lastFinished).toMatchObject({ status: "Succeeded" });
  });

  it("when Microsoft has finished it meanwhile, the customer sees Succeeded, never 'already has 15 seats'", async () => {
    const id = await active();
    const since = new Date();
    const operationId = await requested(id, 15);
    await db().operation.update({ where: { id: operationId }, data: { submittedAt: new Date() } });
    await marketplace().changeQuantity(id, 15, { correlationId: operationId });
    // Microsoft processed and auto-accepted it while we were down (its webhook got no answer).
    await sandbox.settings({ webhookUrl: "http://127.0.0.1:1/api/marketplace/webhook", ackTimeoutMs: 500 });
    try {
      await until(
        () => sandbox.subscription(id),
        (s) => s.subscription.quantity === 15,
        "Microsoft applied it",
        20_000,
      );
    } finally {
      await sandbox.settings({ webhookUrl: receiver.url, ackTimeoutMs: 10_000 });
    }
    await startJobs();
    const [change] = await until(
      () => changes(id),
      (rows) => rows[0]?.status === "Succeeded",
      "change settled",
      30_000,
    );
    expect(change?.errorMessage).toBeNull();
    expect(await callsTo(id, "PATCH", since)).toHaveLength(1);
    expect((await local(id)).quantity).toBe(15);
  });
});

describe("a change whose answer never came", () => {
  it("Microsoft shows no trace of it after the last check: Failed with a way forward, nothing sent twice, and the customer can ask again", async () => {
    const id = await active();
    const since = new Date();
    // The PATCH times out without Microsoft ever processing it (a proxy swallowed it).
    await sandbox.addFault({
      method: "PATCH",
      pathPattern: `/api/saas/subscriptions/${id}$`,
      status: 504,
      delayMs: 3500,
      times: 1,
    });
    const operationId = await requested(id, 9);
    await startJobs();
    await until(
      () => db().operation.findUniqueOrThrow({ where: { id: operationId } }),
      (op) => op.submittedAt !== null && op.status === "Requested",
      "sent, outcome unknown",
      20_000,
    );
    await until(
      () => jobsOf(confirmSubmittedChangeJob, { data: { field: "operationId", equals: operationId } }),
      (jobs) => jobs.length > 0,
      "confirmation scheduled",
    );
    await stopJobs();
    await confirmSubmittedChange({ operationId, check: 7 }); // the last check
    const failed = await db().operation.findUniqueOrThrow({ where: { id: operationId } });
    expect(failed.status).toBe("Failed");
    expect(failed.errorMessage).toMatch(/Microsoft shows no trace of it/);
    // The sandbox logs the swallowed call when its delay ends: one PATCH, never a second.
    expect(
      await until(
        () => callsTo(id, "PATCH", since),
        (calls) => calls.length > 0,
        "the PATCH logged",
      ),
    ).toHaveLength(1);
    await startJobs();
    await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "9" } });
    await until(
      () => local(id),
      (row) => row.quantity === 9,
      "second request applied",
      30_000,
    );
  });
});

describe("no customer lock that needs a human", () => {
  it("a change never sent (workers down, its job gone) expires after the timeout, and the customer may change again", async () => {
    const id = await active();
    const operationId = await requested(id, 7);
    await deleteJobs(submitSubscriptionChangeJob, { data: { field: "operationId", equals: operationId } });
    await expect(
      reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "8" } }),
    ).rejects.toMatchObject({ code: "change_pending" });
    await db().operation.update({
      where: { id: operationId },
      data: { createdAt: new Date(Date.now() - 11 * 60_000) },
    });
    const page = await describeSubscription({ subscriptionId: id, actor: alice });
    expect(page?.pending).toBeNull();
    expect(page?.lastFinished).toMatchObject({
      id: operationId,
      status: "Failed",
      errorMessage: expect.stringContaining("not sent to Microsoft"),
    });
    await startJobs();
    await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "8" } });
    await until(
      () => local(id),
      (row) => row.quantity === 8,
      "new change applied",
      30_000,
    );
  });

  it("reconciliation settles a change sent without a known outcome: adopted when Microsoft has it", async () => {
    const id = await active();
    const operationId = await requested(id, 12);
    await deleteJobs(submitSubscriptionChangeJob, { data: { field: "operationId", equals: operationId } });
    await db().operation.update({
      where: { id: operationId },
      data: { submittedAt: new Date(Date.now() - 11 * 60_000) },
    });
    await marketplace().changeQuantity(id, 12, { correlationId: operationId });
    const run = await reconcileSubscriptions({ trigger: "cli" });
    expect(run.operationsChecked).toBeGreaterThan(0);
    expect((await db().operation.findUniqueOrThrow({ where: { id: operationId } })).marketplaceOperationId).toEqual(
      expect.any(String),
    );
    await startJobs();
    await until(
      () => db().operation.findUniqueOrThrow({ where: { id: operationId } }),
      (op) => op.status === "Succeeded",
      "followed to the end",
      30_000,
    );
    expect((await local(id)).quantity).toBe(12);
  });
});

describe("killed during an activation", () => {
  it("an activation whose process died before calling Microsoft is finished by its job after the restart", async () => {
    const id = await purchased();
    await stopJobs();
    // What activateSubscription wrote before the crash: the operation and its follow-up job, nothing sent.
    const operationId = randomUUID();
    await db().$transaction(async (tx) => {
      await tx.operation.create({
        data: {
          id: operationId,
          subscriptionId: id,
          action: "Activate",
          status: "InProgress",
          source: "Customer",
          requestedPlanId: "pro-seats",
          requestedQuantity: 5,
          actorTid: alice.tid,
          actorOid: alice.oid,
        },
      });
      await enqueue(tx, followActivationJob, { operationId, poll: 1 });
    });
    await startJobs();
    await until(
      () => local(id),
      (row) => row.status === "Subscribed",
      "activated after restart",
      20_000,
    );
    expect((await db().operation.findUniqueOrThrow({ where: { id: operationId } })).status).toBe("Succeeded");
    expect((await sandbox.subscription(id)).subscription.saasSubscriptionStatus).toBe("Subscribed");
  });

  it("an activation whose process died after sending Activate, at a Microsoft that refuses repeats and activates slowly, ends activated", async () => {
    const id = await purchased();
    await stopJobs();
    await sandbox.variants(["activate-not-idempotent", "slow-activation"]);
    try {
      const since = new Date();
      // What callActivate wrote before the crash: the operation claimed as sent, and its follow-up job.
      const operationId = randomUUID();
      await db().$transaction(async (tx) => {
        await tx.operation.create({
          data: {
            id: operationId,
            subscriptionId: id,
            action: "Activate",
            status: "InProgress",
            source: "Customer",
            requestedPlanId: "pro-seats",
            requestedQuantity: 5,
            submittedAt: new Date(),
          },
        });
        await enqueue(tx, followActivationJob, { operationId, poll: 1 });
      });
      await marketplace().activateSubscription(id, { planId: "pro-seats", quantity: 5 }); // it did reach Microsoft
      await startJobs();
      await until(
        () => db().operation.findUniqueOrThrow({ where: { id: operationId } }),
        (op) => op.status !== "InProgress",
        "activation settled",
        20_000,
      );
      expect((await db().operation.findUniqueOrThrow({ where: { id: operationId } })).status).toBe("Succeeded");
      expect((await local(id)).status).toBe("Subscribed");
      expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "activation_failed" } })).toBe(0);
      // Sent again at most once, after a read showed it pending, and its 400 not taken for a refusal.
      expect((await sandbox.calls({ since, operation: "activate", subscriptionId: id })).length).toBeLessThanOrEqual(2);
    } finally {
      await sandbox.variants([]);
    }
  });

  it("an Activate operation left open with no job at all (an older deployment) is settled by reconciliation", async () => {
    const id = await purchased();
    await stopJobs();
    const operationId = randomUUID();
    await db().operation.create({
      data: {
        id: operationId,
        subscriptionId: id,
        action: "Activate",
        status: "InProgress",
        source: "Customer",
        requestedPlanId: "pro-seats",
        requestedQuantity: 5,
        createdAt: new Date(Date.now() - 5 * 60_000),
      },
    });
    await marketplace().activateSubscription(id, { planId: "pro-seats", quantity: 5 }); // Microsoft did get it: it bills
    await reconcileSubscriptions({ trigger: "cli" });
    expect((await local(id)).status).toBe("Subscribed"); // the walk already syncs the subscription…
    await startJobs();
    await until(
      () => db().operation.findUniqueOrThrow({ where: { id: operationId } }),
      (op) => op.status === "Succeeded",
      "…and the activation's follow-up closes the operation",
      20_000,
    );
  });
});
