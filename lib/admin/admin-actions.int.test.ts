/**
 * The console's actions against the sandbox over HTTP on a real database: activate (and retry a
 * failed activation), re-sync, publisher plan change and cancellation through the job queue,
 * re-sending a failed job. Wrong-state actions are refused and change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { startJobs as startJobWorkers } from "@/tests/support/jobs";
import { enqueue } from "@/lib/jobs/enqueue";
import { findJob } from "@/lib/jobs/job-store";
import { acknowledgeOperationJob } from "@/lib/operations/acknowledge-operation";
import { failJobForGood } from "@/tests/support/jobs";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { activateAsPublisher } from "./activate-as-publisher";
import { getSubscriptionDetail } from "./get-subscription-detail";
import { requestPublisherChange } from "./request-publisher-change";
import { resyncSubscription } from "./resync-subscription";
import { retryFailedJob } from "./retry-job";

const sandbox = sandboxControl();
const paula = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001", roles: ["Publisher.Admin"] };
const alice = { ...seeded.alice, roles: [] };
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;

const local = (id: string) => db().subscription.findUniqueOrThrow({ where: { id } });
const operationCount = (id: string) => db().operation.count({ where: { subscriptionId: id } });
const refused = async (work: Promise<unknown>, code: string) => {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isAppError(error) ? error.code : error).toBe(code);
};

async function pendingSubscription() {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    name: "Admin actions",
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  return purchase.subscriptionId;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({ webhookUrl: receiver.url, operationDelayMs: 300, ackTimeoutMs: 10_000 });
  worker = await startJobWorkers();
});
afterAll(async () => {
  await worker?.stop();
  await sandbox.clearFaults();
  await sandbox.settings({ operationDelayMs: 2000 });
  await receiver.close();
  await disconnectDatabase();
});

describe("publisher actions", () => {
  it("activation fails at Microsoft, is shown as failed, and the retry activates; a second activation is refused", async () => {
    const id = await pendingSubscription();
    await sandbox.addFault({ method: "POST", pathPattern: "/activate", status: 400, times: 1 });
    await refused(activateAsPublisher({ subscriptionId: id, actor: paula }), "activation_refused");
    expect((await local(id)).status).toBe("PendingFulfillmentStart");
    expect((await getSubscriptionDetail(id))!.activationFailed).toBe(true);

    await expect(activateAsPublisher({ subscriptionId: id, actor: paula })).resolves.toEqual({ status: "Subscribed" });
    expect((await sandbox.subscription(id)).subscription.saasSubscriptionStatus).toBe("Subscribed");
    const audit = await db().auditEvent.findMany({ where: { subscriptionId: id, actorOid: paula.oid } });
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining(["publisher_activation_requested", "activation_failed", "activated"]),
    );

    const before = await operationCount(id);
    await refused(activateAsPublisher({ subscriptionId: id, actor: paula }), "not_activatable");
    expect(await operationCount(id)).toBe(before);
  });

  it("re-sync picks up what a dropped webhook did not tell us; changes on a suspended subscription are refused", async () => {
    const id = await pendingSubscription();
    await activateAsPublisher({ subscriptionId: id, actor: paula });
    await sandbox.act(id, "Suspend", { deliver: "drop" });
    expect((await local(id)).status).toBe("Subscribed");
    await expect(resyncSubscription({ subscriptionId: id, actor: paula })).resolves.toMatchObject({
      status: "Suspended",
      refused: false,
    });
    expect(
      await db().auditEvent.count({ where: { subscriptionId: id, action: "publisher_resynced", actorOid: paula.oid } }),
    ).toBe(1);

    const before = await operationCount(id);
    await refused(
      requestPublisherChange({
        subscriptionId: id,
        actor: paula,
        change: { kind: "plan", planId: "enterprise-seats" },
      }),
      "change_not_allowed",
    );
    expect(await operationCount(id)).toBe(before);
  });

  it("a publisher plan change goes through the job queue to Microsoft; then a cancellation; then nothing more is possible", async () => {
    const id = await pendingSubscription();
    await activateAsPublisher({ subscriptionId: id, actor: paula });
    await refused(
      requestPublisherChange({ subscriptionId: id, actor: paula, change: { kind: "plan", planId: "no-such-plan" } }),
      "invalid_input",
    );
    const { operationId } = await requestPublisherChange({
      subscriptionId: id,
      actor: paula,
      change: { kind: "plan", planId: "enterprise-seats" },
    });
    await refused(
      requestPublisherChange({ subscriptionId: id, actor: paula, change: { kind: "quantity", quantity: "20" } }),
      "change_pending",
    );
    const done = await until(
      () => db().operation.findUniqueOrThrow({ where: { id: operationId } }),
      (row) => row.status === "Succeeded",
      "plan change done",
    );
    expect(done).toMatchObject({ source: "Publisher", actorOid: paula.oid, requestedPlanId: "enterprise-seats" });
    await until(
      () => local(id),
      (row) => row.planId === "enterprise-seats",
      "plan applied",
    );

    const cancel = await requestPublisherChange({ subscriptionId: id, actor: paula, change: { kind: "cancel" } });
    await until(
      () => local(id),
      (row) => row.status === "Unsubscribed",
      "cancelled",
    );
    expect((await db().operation.findUniqueOrThrow({ where: { id: cancel.operationId } })).source).toBe("Publisher");
    await refused(
      requestPublisherChange({ subscriptionId: id, actor: paula, change: { kind: "cancel" } }),
      "change_not_allowed",
    );
    const timeline = (await getSubscriptionDetail(id))!.timeline;
    expect(timeline.some((entry) => entry.kind === "operation" && entry.action === "ChangePlan")).toBe(true);
    expect(timeline.some((entry) => entry.kind === "audit" && entry.actor.name?.includes(paula.oid))).toBe(true);
  });

  it("a failed acknowledgement job is queued again once; a second retry is refused", async () => {
    const id = await pendingSubscription();
    await worker?.stop(); // the job must stay failed while we look at it
    worker = undefined;
    const jobId = (await enqueue(
      db(),
      acknowledgeOperationJob,
      { subscriptionId: id, operationId: "00000000-0000-4000-8000-00000000abcd", status: "Success" },
      { startAfter: new Date(Date.now() + 3_600_000) },
    ))!;
    await failJobForGood(jobId, "Microsoft unavailable");
    const job = { id: jobId };
    expect((await getSubscriptionDetail(id))!.failedAcknowledgements).toEqual([
      expect.objectContaining({ jobId, error: "Microsoft unavailable" }),
    ]);
    await refused(
      retryFailedJob({
        jobId: job.id,
        actor: paula,
        subscriptionId: "another",
        job: acknowledgeOperationJob,
        reason: "acknowledgement_resent",
      }),
      "invalid_input",
    );
    await retryFailedJob({
      jobId: job.id,
      actor: paula,
      subscriptionId: id,
      job: acknowledgeOperationJob,
      reason: "acknowledgement_resent",
    });
    expect(await findJob(job.id)).toMatchObject({ state: "retry" });
    await refused(
      retryFailedJob({
        jobId: job.id,
        actor: paula,
        subscriptionId: id,
        job: acknowledgeOperationJob,
        reason: "acknowledgement_resent",
      }),
      "invalid_input",
    );
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "acknowledgement_resent" } })).toBe(1);
  });
});
