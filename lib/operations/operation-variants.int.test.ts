/**
 * The portal against how Microsoft may report a customer's change (sandbox variants
 * no-operation-location and operation-statuses; marketplace-contract.md §15.16, §15.7, §15.30), over
 * HTTP on a real database: a 202 that names no operation is never sent again and is settled from
 * Microsoft's own records; NotStarted is still pending; Conflict is a final failure with its reason.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { marketplace } from "@/lib/marketplace";
import { followOperationJob } from "@/lib/operations/follow-operation";
import { PENDING_STATUSES } from "@/lib/operations/pending-change";
import { reviewAndConfirm } from "@/tests/support/customer-change";
import { jobsOf, startJobs } from "@/tests/support/jobs";
import { sandboxControl, withVariants } from "@/tests/support/sandbox-control";
import { until } from "@/tests/support/until";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { alice, localSubscription as local, activeForAlice as active } from "@/tests/support/alice-purchases";

const sandbox = sandboxControl();
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;

const changes = (id: string) =>
  db().operation.findMany({
    where: { subscriptionId: id, action: { not: "Activate" } },
    orderBy: { createdAt: "asc" },
  });
const settled = (id: string) =>
  until(
    () => changes(id),
    (rows) => rows.length >= 1 && rows.every((row) => !PENDING_STATUSES.includes(row.status)),
    "change settled",
    40_000,
  );
const sent = (id: string) =>
  until(
    async () => (await changes(id))[0],
    (row) => Boolean(row?.submittedAt),
    "change sent",
  );
const atMicrosoft = async (id: string, action: string) =>
  (await sandbox.subscription(id)).operations.filter((op) => op.action === action);
const callsTo = async (id: string, method: string, since: Date) =>
  (await sandbox.calls(since)).filter(
    (call) => call.method === method && call.path.startsWith(`/api/saas/subscriptions/${id}?`),
  );

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({ webhookUrl: receiver.url, operationDelayMs: 300, ackTimeoutMs: 10_000 });
  worker = await startJobs();
});
afterEach(async () => {
  await sandbox.variants([]);
  await sandbox.settings({ operationDelayMs: 300, failNextOperations: 0 });
});
afterAll(async () => {
  await worker?.stop();
  await sandbox.settings({ operationDelayMs: 2000 });
  await receiver.close();
  await disconnectDatabase();
});

describe("no-operation-location: a 202 to PATCH/DELETE that names no operation", () => {
  it("a seat change is recorded as sent with its operation unknown, then adopted from Microsoft's list: sent once, applied once", async () => {
    const id = await active();
    await withVariants(["no-operation-location"], async () => {
      // Microsoft works on it for 3 s: no webhook names the operation before the portal asks.
      await sandbox.settings({ operationDelayMs: 3000 });
      const since = new Date();
      await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "12" } });
      await sent(id);
      const [patch] = await until(
        () => callsTo(id, "PATCH", since),
        (calls) => calls.length === 1,
        "the PATCH answered",
      );
      expect(patch?.status).toBe(202);
      // Accepted, but by which operation? Not known yet: the row waits for Microsoft's word.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await changes(id))[0]).toMatchObject({ status: "Requested", marketplaceOperationId: null });

      const [change] = await settled(id);
      const [remote] = await atMicrosoft(id, "ChangeQuantity");
      expect(change).toMatchObject({ status: "Succeeded", marketplaceOperationId: remote?.id });
      expect(await callsTo(id, "PATCH", since)).toHaveLength(1);
      expect(await sandbox.calls({ since, operation: "listOperations", subscriptionId: id })).not.toEqual([]);
      expect(await atMicrosoft(id, "ChangeQuantity")).toHaveLength(1);
      expect((await local(id)).quantity).toBe(12);
      expect((await sandbox.subscription(id)).subscription.quantity).toBe(12);
    });
  });

  it("a cancellation is sent once and ends Unsubscribed", async () => {
    const id = await active();
    await withVariants(["no-operation-location"], async () => {
      const since = new Date();
      await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "cancel" } });
      const [change] = await settled(id);
      expect(change?.status).toBe("Succeeded");
      await until(
        () => local(id),
        (row) => row.status === "Unsubscribed",
        "cancelled",
        30_000,
      );
      expect(await callsTo(id, "DELETE", since)).toHaveLength(1);
      expect(await atMicrosoft(id, "Unsubscribe")).toHaveLength(1);
    });
  });
});

describe("operation-statuses: NotStarted before InProgress, Conflict as a final status", () => {
  it("NotStarted is still pending: the change is followed on to Succeeded, sent once", async () => {
    const id = await active();
    await withVariants(["operation-statuses"], async () => {
      await sandbox.settings({ operationDelayMs: 8000 });
      const since = new Date();
      await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "8" } });
      const submitted = await until(
        async () => (await changes(id))[0],
        (row) => Boolean(row?.marketplaceOperationId),
        "operation adopted",
      );
      const [patch] = await callsTo(id, "PATCH", since);
      const notStartedUntil = Date.parse(patch!.time) + 3800;
      await expect(marketplace().getOperation(id, submitted!.marketplaceOperationId!)).resolves.toMatchObject({
        status: "NotStarted",
      });

      // The portal's own poll meets NotStarted and keeps the change pending, without an error.
      const polls = await until(
        async () =>
          (await sandbox.calls({ since, operation: "getOperation", subscriptionId: id })).filter(
            (call) => call.path.includes(submitted!.marketplaceOperationId!) && call.status === 200,
          ),
        (calls) => calls.length >= 2,
        "our polls",
      );
      expect(Date.parse(polls[0]!.time)).toBeLessThan(notStartedUntil);
      const meanwhile = (await changes(id))[0]!;
      expect(PENDING_STATUSES).toContain(meanwhile.status);
      expect(meanwhile.errorMessage).toBeNull();

      const [change] = await settled(id);
      expect(change?.status).toBe("Succeeded");
      expect(await callsTo(id, "PATCH", since)).toHaveLength(1);
      expect((await local(id)).quantity).toBe(8);
    });
  });

  it("Conflict ends the change Failed with Microsoft's reason, once: no resend, no further polling", async () => {
    const id = await active();
    await withVariants(["operation-statuses"], async () => {
      await sandbox.settings({ operationDelayMs: 1000, failNextOperations: 1 });
      const since = new Date();
      await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "9" } });
      const [change] = await settled(id);
      const [remote] = await atMicrosoft(id, "ChangeQuantity");
      expect(remote).toMatchObject({ status: "Conflict" });
      expect(change).toMatchObject({
        status: "Conflict",
        marketplaceOperationId: remote!.id,
        errorMessage: expect.stringMatching(/conflicted with this operation/),
      });
      expect((await local(id)).quantity).toBe(5);

      const pollsAtSettlement = (await sandbox.calls({ since, operation: "getOperation", subscriptionId: id })).length;
      await new Promise((resolve) => setTimeout(resolve, 5000));
      expect((await sandbox.calls({ since, operation: "getOperation", subscriptionId: id })).length).toBe(
        pollsAtSettlement,
      );
      expect(await callsTo(id, "PATCH", since)).toHaveLength(1);
      const waiting = await jobsOf(followOperationJob, {
        states: ["created", "retry", "active"],
        data: { field: "operationId", equals: change!.id },
      });
      expect(waiting).toEqual([]);
    });
  });
});
