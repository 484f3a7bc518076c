/**
 * Microsoft's webhook end to end: the sandbox plays Microsoft (marketplace-side actions, signed
 * deliveries, waiting for the acknowledgement), the portal's receiver records and the job worker
 * processes, on a real database.
 */
process.env.PUBLISHER_POLICY = JSON.stringify({ seatLimits: { "pro-seats": { max: 50 } } });

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { jobsOf, leaveJobAsIfItsWorkerDied, startJobs as startJobWorkers } from "@/tests/support/jobs";
import { reconcileSubscriptions } from "@/lib/reconciliation/reconcile-subscriptions";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { until } from "@/tests/support/until";
import { sandboxControl, type WebhookDelivery } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { processWebhookEvent, processWebhookEventJob } from "./process-webhook-event";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;

const startJobs = async () => {
  worker = await startJobWorkers();
};
const stopJobs = async () => {
  await worker?.stop();
  worker = undefined;
};

async function activeSubscription(
  planId = "pro-seats",
  quantity: number | undefined = planId === "pro-seats" ? 5 : undefined,
) {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId,
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
const delivery = (subscriptionId: string, action: string) =>
  until(
    () => sandbox.deliveries(subscriptionId).then((all) => all.find((d) => d.action === action)),
    (d): d is WebhookDelivery => Boolean(d?.delivered),
    `${action} delivery`,
  );
const acknowledged = (subscriptionId: string, action: string) =>
  until(
    () => sandbox.deliveries(subscriptionId).then((all) => all.find((d) => d.action === action)),
    (d): d is WebhookDelivery => Boolean(d?.acknowledgement),
    `${action} acknowledgement`,
  );
const eventSettled = (subscriptionId: string, action: string) =>
  until(
    () => events(subscriptionId).then((all) => all.find((e) => e.action === action)),
    (e): e is NonNullable<typeof e> => Boolean(e && !["received", "processing"].includes(e.status)),
    `${action} processed`,
  );

beforeAll(async () => {
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
  if (!worker) await startJobs();
});
afterAll(async () => {
  await stopJobs();
  await receiver.close();
  await disconnectDatabase();
});

describe("each action", () => {
  it("ChangePlan from the Azure portal: applied locally and acknowledged Success within the window", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "ChangePlan", { planId: "enterprise-seats" });
    const ack = await acknowledged(id, "ChangePlan");
    expect(ack.acknowledgement).toMatchObject({ status: "Success" });
    expect(ack.acknowledgement?.autoAccepted).toBeFalsy();
    expect((await local(id)).planId).toBe("enterprise-seats");
    await until(
      () => sandbox.subscription(id),
      (s) => s.subscription.planId === "enterprise-seats",
      "emulator plan",
    );
    // Microsoft records the acknowledgement when it arrives; our row a moment later, when the job commits.
    const [event] = await until(
      () => events(id),
      (rows) => rows[0]?.acknowledgement === "Success",
      "acknowledgement recorded",
    );
    expect(event).toMatchObject({
      action: "ChangePlan",
      status: "applied",
      acknowledgement: "Success",
      requestSource: "Azure",
    });
    expect(JSON.stringify(event?.payload)).not.toContain("alice@fabrikam.example");
    const audit = await db().auditEvent.findMany({ where: { subscriptionId: id, action: "plan_changed" } });
    expect(audit).toMatchObject([
      { actorType: "marketplace", detail: expect.objectContaining({ from: "pro-seats", to: "enterprise-seats" }) },
    ]);
  });

  it("ChangeQuantity beyond the publisher's limit: refused with Failure, nothing changes on either side", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "ChangeQuantity", { quantity: 80 });
    const ack = await acknowledged(id, "ChangeQuantity");
    expect(ack.acknowledgement).toMatchObject({ status: "Failure" });
    expect((await local(id)).quantity).toBe(5);
    expect((await sandbox.subscription(id)).subscription.quantity).toBe(5);
    const [event] = await until(
      () => events(id),
      (rows) => rows[0]?.status === "refused",
      "event refused",
    );
    expect(event?.outcome).toContain("at most 50");
  });

  it("ChangeQuantity within limits: applied and acknowledged", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "ChangeQuantity", { quantity: 12 });
    expect((await acknowledged(id, "ChangeQuantity")).acknowledgement).toMatchObject({ status: "Success" });
    expect((await local(id)).quantity).toBe(12);
  });

  it("Suspend → Reinstate → Unsubscribe, each with an audit row; data kept for the retention period", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "Suspend");
    await eventSettled(id, "Suspend");
    expect(await local(id)).toMatchObject({ status: "Suspended", suspendedAt: expect.any(Date) });

    await sandbox.act(id, "Reinstate");
    expect((await acknowledged(id, "Reinstate")).acknowledgement).toMatchObject({ status: "Success" });
    expect((await local(id)).status).toBe("Subscribed");
    await until(
      () => sandbox.subscription(id),
      (s) => s.subscription.saasSubscriptionStatus === "Subscribed",
      "emulator reinstated",
    );

    await sandbox.act(id, "Unsubscribe");
    await eventSettled(id, "Unsubscribe");
    const cancelled = await local(id);
    expect(cancelled.status).toBe("Unsubscribed");
    expect(cancelled.dataRetainedUntil!.getTime() - cancelled.unsubscribedAt!.getTime()).toBe(30 * 86_400_000);
    const transitions = await db().auditEvent.findMany({
      where: { subscriptionId: id, toStatus: { not: null } },
      orderBy: { id: "asc" },
    });
    expect(transitions.map((row) => `${row.fromStatus ?? "∅"}→${row.toStatus}`)).toEqual([
      "∅→PendingFulfillmentStart",
      "PendingFulfillmentStart→Subscribed",
      "Subscribed→Suspended",
      "Suspended→Subscribed",
      "Subscribed→Unsubscribed",
    ]);
  });

  it("a late Reinstate after Unsubscribe does not revive the subscription", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "Suspend");
    await eventSettled(id, "Suspend");
    await sandbox.act(id, "Reinstate");
    await acknowledged(id, "Reinstate");
    await sandbox.act(id, "Unsubscribe");
    await eventSettled(id, "Unsubscribe");
    // Replay the reinstatement as if it had been delayed: its event is processed again from scratch.
    const reinstate = (await events(id)).find((event) => event.action === "Reinstate")!;
    await db().webhookEvent.update({ where: { id: reinstate.id }, data: { status: "received" } });
    await processWebhookEvent({ eventId: reinstate.id });
    expect((await local(id)).status).toBe("Unsubscribed");
    const replayed = await db().webhookEvent.findUniqueOrThrow({ where: { id: reinstate.id } });
    expect(replayed).toMatchObject({ status: "stale", outcome: expect.stringContaining("Older") });
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "reinstated" } })).toBe(1);
  });

  it("Renew moves the term dates forward", async () => {
    const id = await activeSubscription("basic");
    const before = await local(id);
    await sandbox.act(id, "Renew");
    await eventSettled(id, "Renew");
    const after = await local(id);
    expect(after.termStartDate!.getTime()).toBeGreaterThan(before.termStartDate!.getTime());
    expect(after.termEndDate!.getTime()).toBeGreaterThan(before.termEndDate!.getTime());
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "renewed" } })).toBe(1);
    // Microsoft has sent Renew twice for one renewal (MicrosoftDocs/azure-docs#75997): the second
    // notice of the same term changes nothing and writes no second "renewed" row.
    const renew = (await events(id)).find((event) => event.action === "Renew")!;
    await db().webhookEvent.update({ where: { id: renew.id }, data: { status: "received" } });
    await processWebhookEvent({ eventId: renew.id });
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "renewed" } })).toBe(1);
  });

  it("a publisher-initiated change (PATCH from our side) comes back as a Partner webhook and converges", async () => {
    const id = await activeSubscription();
    const { marketplace } = await import("@/lib/marketplace");
    await marketplace().changeQuantity(id, 9);
    await until(
      () => local(id),
      (row) => row.quantity === 9,
      "local quantity 9",
    );
    expect((await events(id))[0]).toMatchObject({ action: "ChangeQuantity", requestSource: "Partner" });
  });
});

describe("delivery guarantees", () => {
  it("records a duplicate delivery once and answers 200", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "Suspend");
    const first = await delivery(id, "Suspend");
    await eventSettled(id, "Suspend");
    await sandbox.redeliver(first.id);
    await until(
      () => sandbox.deliveries(id),
      (all) =>
        all.filter((d) => d.action === "Suspend" && d.delivered).length >= 1 &&
        receiver.received.filter((r) => r.body.includes(id) && r.body.includes("Suspend")).length >= 2,
      "redelivery",
    );
    expect(await db().webhookEvent.count({ where: { subscriptionId: id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { subscriptionId: id, toStatus: "Suspended" } })).toBe(1);
    expect(receiver.received.filter((r) => r.body.includes(id)).every((r) => r.status === 200)).toBe(true);
    // What the one statement recorded (lib/jobs/enqueue.ts writeWithJob): Microsoft's time and ours, as instants.
    const body = JSON.parse(receiver.received.find((r) => r.body.includes(id))!.body) as { timeStamp: string };
    const [event] = await events(id);
    expect(event?.eventTime?.toISOString()).toBe(new Date(body.timeStamp).toISOString());
    expect(Math.abs(event!.receivedAt.getTime() - Date.parse(first.attempts[0]!.at))).toBeLessThan(5000);
  });

  it("the same event delivered concurrently has exactly one effect", async () => {
    const id = await activeSubscription();
    await stopJobs();
    await sandbox.act(id, "Suspend");
    await delivery(id, "Suspend");
    const original = receiver.received.find((r) => r.body.includes(id))!;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => receiver.post(original.body, original.authorization)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await db().webhookEvent.count({ where: { subscriptionId: id } })).toBe(1);
    await startJobs();
    await eventSettled(id, "Suspend");
    expect(await db().auditEvent.count({ where: { subscriptionId: id, toStatus: "Suspended" } })).toBe(1);
  });

  it("an event recorded just before the process died completes after restart (nothing lost)", async () => {
    const id = await activeSubscription();
    await stopJobs(); // the process "dies" after recording: no worker runs
    await sandbox.act(id, "Suspend");
    await delivery(id, "Suspend");
    expect((await events(id))[0]?.status).toBe("received");
    // A worker that died mid-job leaves a running job with a lock: it must be taken over too.
    const event = (await events(id))[0]!;
    const [job] = await jobsOf(processWebhookEventJob, { data: { field: "eventId", equals: event.id } });
    await leaveJobAsIfItsWorkerDied(job!.id);
    await startJobs(); // restart
    await eventSettled(id, "Suspend");
    expect((await local(id)).status).toBe("Suspended");
    // The engine's upkeep expired the dead run and the job ran again: a second attempt. (pg-boss
    // marks the job completed just after its handler settled the event: wait for that too.)
    const [rerun] = await until(
      () => jobsOf(processWebhookEventJob, { data: { field: "eventId", equals: event.id } }),
      (rows) => rows[0]?.state !== "active",
      "the job's second run to finish",
    );
    expect(rerun).toMatchObject({ state: "completed", attempts: 2 });
  });

  it("retries the acknowledgement when Microsoft answers 500 then 429", async () => {
    const id = await activeSubscription();
    await sandbox.addFault({ method: "PATCH", pathPattern: "/operations/", status: 500, times: 2 });
    await sandbox.addFault({
      method: "PATCH",
      pathPattern: "/operations/",
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });
    await sandbox.act(id, "ChangePlan", { planId: "enterprise-seats" });
    const ack = await acknowledged(id, "ChangePlan");
    expect(ack.acknowledgement).toMatchObject({ status: "Success" });
    expect(ack.acknowledgement?.autoAccepted).toBeFalsy();
    // The sandbox logs a call once its answer is written: the last one may land a moment after.
    const calls = await until(
      async () =>
        (await sandbox.calls()).filter(
          (call) => call.method === "PATCH" && call.path.includes(`/subscriptions/${id}/operations/`),
        ),
      (rows) => rows.length >= 4,
      "four acknowledgement calls logged",
    );
    expect(calls.map((call) => call.status)).toEqual([500, 500, 429, 200]);
  });

  it("refuses a delivery Microsoft cannot confirm (unknown operation or a payload that does not match)", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "ChangeQuantity", { quantity: 7 });
    await acknowledged(id, "ChangeQuantity");
    const original = receiver.received.find((r) => r.body.includes(id) && r.body.includes("ChangeQuantity"))!;
    const payload = JSON.parse(original.body) as Record<string, unknown>;

    const unknown = await receiver.post(
      JSON.stringify({ ...payload, id: "0f0c0000-0000-4000-8000-0000000000ff" }),
      original.authorization,
    );
    expect(unknown.status).toBe(200);
    const mismatched = await receiver.post(
      JSON.stringify({ ...payload, action: "ChangePlan", planId: "enterprise-seats" }),
      original.authorization,
    );
    expect(mismatched.status).toBe(200);
    const refused = await until(
      () => events(id),
      (all) => all.filter((e) => e.status === "unconfirmed").length === 2,
      "two unconfirmed events",
    );
    expect(refused.find((e) => e.operationId === "0f0c0000-0000-4000-8000-0000000000ff")?.outcome).toContain(
      "does not know this operation",
    );
    expect(refused.find((e) => e.action === "ChangePlan")?.outcome).toContain("does not match");
    expect((await local(id)).planId).toBe("pro-seats");
  });

  it("401 for missing, forged or replayed-elsewhere tokens; 400 with a reason for malformed bodies; nothing stored", async () => {
    const before = await db().webhookEvent.count();
    const logged: string[] = [];
    // Refusals are warnings (lib/logger.ts writes them to console.warn).
    const spy = vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
    const body = JSON.stringify({
      id: "0f0c0000-0000-4000-8000-000000000abc",
      subscriptionId: "0f0c0000-0000-4000-8000-000000000def",
      action: "Suspend",
      timeStamp: new Date().toISOString(),
      status: "Succeeded",
      subscription: { beneficiary: { emailId: "alice@fabrikam.example" } },
    });
    expect((await receiver.post(body, null)).status).toBe(401);
    const real = receiver.received.find((r) => r.authorization)!.authorization!;
    const [header, claims] = real.replace("Bearer ", "").split(".") as [string, string];
    expect((await receiver.post(body, `Bearer ${header}.${claims}.${"A".repeat(342)}`)).status).toBe(401);
    const malformed = await receiver.post(JSON.stringify({ action: "Suspend" }), real);
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.json)).toContain("subscriptionId");
    expect((await receiver.post("{not json", real)).status).toBe(400);
    spy.mockRestore();
    expect(await db().webhookEvent.count()).toBe(before);
    // Each refusal leaves a redacted line: the reason, never the token or the payload's personal data.
    expect(logged.filter((line) => /webhook refused: (authentication failed|invalid payload)/.test(line))).toHaveLength(
      3,
    );
    const text = logged.join("\n");
    expect(text).not.toContain(real.replace("Bearer ", "").split(".")[2]!);
    expect(text).not.toContain("A".repeat(342));
    expect(text).not.toContain("alice@fabrikam.example");
  });

  it("records unknown actions and answers 200", async () => {
    const id = await activeSubscription();
    const real = receiver.received.find((r) => r.authorization)!.authorization!;
    const answer = await receiver.post(
      JSON.stringify({
        id: "0f0c0000-0000-4000-8000-0000000001aa",
        subscriptionId: id,
        action: "Transfer",
        timeStamp: new Date().toISOString(),
        status: "Succeeded",
        futureField: 1,
      }),
      real,
    );
    expect(answer.status).toBe(200);
    const [event] = await until(
      () => events(id),
      (all) => all[0]?.status === "ignored",
      "ignored event",
    );
    expect(event?.outcome).toContain("Transfer");
  });
});

describe("reconciliation", () => {
  it("heals a missed webhook and records the drift", async () => {
    const id = await activeSubscription();
    await sandbox.act(id, "Suspend", { deliver: "drop" });
    expect((await local(id)).status).toBe("Subscribed");
    const run = await reconcileSubscriptions({ trigger: "manual" });
    expect(run.status).toBe("succeeded");
    expect(run.subscriptionsSeen).toBeGreaterThan(0);
    expect((await local(id)).status).toBe("Suspended");
    const drift = await db().drift.findMany({ where: { runId: run.id, subscriptionId: id } });
    expect(drift).toMatchObject([
      { field: "status", localValue: "Subscribed", remoteValue: "Suspended", resolution: "synced" },
    ]);
    const again = await reconcileSubscriptions({ trigger: "manual" });
    expect(await db().drift.count({ where: { runId: again.id, subscriptionId: id } })).toBe(0);
  });

  it("closes an operation we still think open once Microsoft reports it final, with the subscription re-read and an audit row", async () => {
    const id = await activeSubscription();
    const change = await sandbox.act(id, "ChangeQuantity", { quantity: 9, deliver: "drop" }); // completed at Microsoft, never told to us
    await db().operation.create({
      data: {
        id: change.operationId,
        marketplaceOperationId: change.operationId,
        subscriptionId: id,
        action: "ChangeQuantity",
        status: "InProgress",
        source: "Marketplace",
        requestedQuantity: 9,
      },
    });
    const run = await reconcileSubscriptions({ trigger: "manual" });
    expect(run.operationsChecked).toBeGreaterThanOrEqual(1);
    expect(await db().operation.findUniqueOrThrow({ where: { id: change.operationId } })).toMatchObject({
      status: "Succeeded",
      completedAt: expect.any(Date),
    });
    expect((await local(id)).quantity).toBe(9);
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "change_completed" } })).toBe(1);
  });
});
