/**
 * The outbox (docs/decisions/0013): every change of a subscription is announced once, in the
 * transaction that makes it — an event exists if and only if its change committed — with
 * per-subscription sequence numbers that stay unique and gap-free under concurrency; each event
 * gets a delivery (and its job) per enabled endpoint that wants its type.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { entitlementSchema } from "@/lib/entitlements/entitlement-schemas";
import { settleUnbillableHours } from "@/lib/metering/settle-unbillable-hours";
import { pruneRecords } from "@/lib/retention/prune-records";
import { acknowledgeOperation } from "@/lib/operations/acknowledge-operation";
import { applyAcceptedChange } from "@/lib/subscriptions/apply-accepted-change";
import { completeSetup } from "@/lib/subscriptions/complete-setup";
import { syncSubscription } from "@/lib/subscriptions/sync-subscription";
import { snapshotOf, syncFrom } from "@/tests/support/event-subscriptions";
import { jobsOf } from "@/tests/support/jobs";
import { seeded } from "@/tests/support/sandbox-env";
import { deliverEventJob } from "./deliver-event";
import { emitEvent } from "./emit-event";
import { eventTypeName } from "./event-types";
import { createEndpoint, setEndpointEnabled } from "./manage-endpoints";

process.env.EVENT_ENDPOINT_ALLOWED_HOSTS = "127.0.0.1";

const admin = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
const alice = { ...seeded.alice, roles: [] };

const eventsOf = async (subscriptionId: string) =>
  (await db().outboxEvent.findMany({ where: { subscriptionId }, orderBy: { sequence: "asc" } })).map((event) => ({
    ...event,
    type: eventTypeName(event.type),
  }));

beforeAll(async () => {
  // Endpoints of other test files would only add deliveries; this file counts its own.
  await db().eventEndpoint.deleteMany();
});

afterEach(async () => {
  await db().eventEndpoint.deleteMany();
});

describe("announcing subscription changes", () => {
  it("announces each change of a subscription's life once, in order, with the entitlement as it stands", async () => {
    const start = snapshotOf({ quantity: 5, planId: "basic" });
    await syncFrom(start);
    const term = {
      termUnit: "P1M",
      startDate: new Date("2026-11-01T00:00:00Z"),
      endDate: new Date("2026-11-30T00:00:00Z"),
    };
    const live = { ...start, saasSubscriptionStatus: "Subscribed" as const, term };
    await syncFrom(live);
    await syncFrom(live); // the same view again: nothing to announce
    await completeSetup({
      subscriptionId: start.id,
      accountConfig: {
        companyName: "Fabrikam",
        contactName: "Alice Admin",
        contactEmail: "it@fabrikam.example",
        region: "eu",
        acceptTerms: "on",
      },
      actor: alice,
    });
    await syncFrom({ ...live, planId: "pro-seats", quantity: 10 });
    await syncFrom({ ...live, planId: "pro-seats", quantity: 12 });
    await syncFrom({ ...live, planId: "pro-seats", quantity: 12, saasSubscriptionStatus: "Suspended" });
    await syncFrom({ ...live, planId: "pro-seats", quantity: 12 });
    const renewedTerm = {
      ...term,
      startDate: new Date("2026-11-30T00:00:00Z"),
      endDate: new Date("2026-12-30T00:00:00Z"),
    };
    await syncFrom({ ...live, planId: "pro-seats", quantity: 12, term: renewedTerm });
    await syncFrom({
      ...live,
      planId: "pro-seats",
      quantity: 12,
      term: renewedTerm,
      saasSubscriptionStatus: "Unsubscribed",
    });

    const events = await eventsOf(start.id);
    expect(events.map((event) => event.type)).toEqual([
      "subscription.created",
      "subscription.activated",
      "subscription.setup_completed",
      "subscription.plan_changed",
      "subscription.quantity_changed",
      "subscription.suspended",
      "subscription.reinstated",
      "subscription.renewed",
      "subscription.cancelled",
    ]);
    expect(events.map((event) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
    for (const event of events) expect(event.id).toMatch(/^evt_[0-9a-f]{32}$/);

    const payload = (index: number) => events[index]!.payload as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(payload(0)).toMatchObject({
      subscriptionId: start.id,
      sequence: 1,
      change: { status: "PendingFulfillmentStart" },
      subscription: { status: "PendingFulfillmentStart", setupState: "pending", seats: 5, accountConfiguration: null },
    });
    expect(payload(1)).toMatchObject({
      change: { status: { from: "PendingFulfillmentStart", to: "Subscribed" } },
      subscription: { status: "Subscribed", activatedBy: "marketplace", term: { endDate: "2026-11-30T00:00:00.000Z" } },
    });
    expect(payload(2)).toMatchObject({
      change: { setupState: { from: "pending", to: "complete" } },
      subscription: {
        setupState: "complete",
        accountConfiguration: { companyName: "Fabrikam", contactEmail: "it@fabrikam.example", region: "eu" },
        features: { maxProjects: 5 },
        includedQuantities: { reports: 20 },
      },
    });
    expect(payload(3)).toMatchObject({
      change: { plan: { from: "basic", to: "pro-seats" }, seats: { from: 5, to: 10 } },
      // Names and features from the offer catalog (config/catalog.json).
      subscription: {
        plan: { id: "pro-seats", displayName: "Professional (per user)" },
        offer: { id: "contoso-analytics", displayName: "Contoso Analytics" },
        seats: 10,
        features: { dashboards: true, sso: false, maxProjects: 50 },
      },
    });
    expect(payload(4).change).toEqual({ seats: { from: 10, to: 12 } });
    expect(payload(5).subscription.status).toBe("Suspended");
    expect(payload(6).change).toEqual({ status: { from: "Suspended", to: "Subscribed" } });
    expect(payload(7).change.term.to).toEqual({
      startDate: "2026-11-30T00:00:00.000Z",
      endDate: "2026-12-30T00:00:00.000Z",
    });
    expect(payload(8).subscription).toMatchObject({ status: "Unsubscribed", dataRetainedUntil: expect.any(String) });
    // One shape for the product: every event's subscription is the entitlements API's object (no
    // field more, none less) plus the two fields only events carry.
    for (const event of events) {
      const { accountConfiguration, dataRetainedUntil, ...entitlement } = (
        event.payload as { subscription: Record<string, unknown> }
      ).subscription;
      expect(entitlementSchema.strict().safeParse(entitlement).error).toBeUndefined();
      expect({ accountConfiguration, dataRetainedUntil }).toEqual({
        accountConfiguration: expect.toSatisfy((value) => value === null || typeof value === "object"),
        dataRetainedUntil: expect.toSatisfy((value) => value === null || typeof value === "string"),
      });
    }
    // No personal data of people in the entitlement.
    expect(JSON.stringify(events.map((event) => event.payload))).not.toContain(seeded.alice.email);
  });

  it("announces an auto-activated purchase as created and activated at once", async () => {
    const bought = snapshotOf({
      saasSubscriptionStatus: "Subscribed",
      term: { termUnit: "P1M", startDate: new Date(), endDate: new Date(Date.now() + 86_400_000 * 30) },
    });
    await syncFrom(bought);
    const events = await eventsOf(bought.id);
    expect(events.map((event) => [event.type, event.sequence])).toEqual([
      ["subscription.created", 1],
      ["subscription.activated", 2],
    ]);
    expect(events[1]!.payload).toMatchObject({ subscription: { activatedBy: "marketplace", setupState: "pending" } });
  });

  it("announces a change the publisher accepted from a webhook (before Microsoft shows it)", async () => {
    const start = snapshotOf({ saasSubscriptionStatus: "Subscribed", quantity: 3 });
    const row = await syncFrom(start);
    await db().$transaction((tx) =>
      applyAcceptedChange(tx, {
        subscription: row,
        change: { kind: "quantity", quantity: 7 },
        actor: { actorType: "marketplace" },
        detail: { operationId: "op-1", source: "Customer" },
      }),
    );
    const events = await eventsOf(start.id);
    expect(events.at(-1)).toMatchObject({
      type: "subscription.quantity_changed",
      payload: { change: { seats: { from: 3, to: 7 } }, subscription: { seats: 7 } },
    });
  });
});

describe("outbox atomicity", () => {
  it("an event exists if and only if its change committed; a rolled-back change leaves no event and no gap", async () => {
    const endpoint = await createEndpoint({
      input: { url: "http://127.0.0.1:9/never", description: "", eventTypes: [] },
      actor: admin,
    });
    await setEndpointEnabled({ endpointId: endpoint.endpoint.id, enabled: false, actor: admin });
    const live = snapshotOf({ saasSubscriptionStatus: "Subscribed", planId: "basic" });
    await syncFrom(live);
    const before = await eventsOf(live.id);
    const deliveriesBefore = await db().eventDelivery.count();

    await expect(
      db().$transaction(async (tx) => {
        await syncSubscription(tx, {
          snapshot: { subscription: { ...live, planId: "pro" }, readAt: new Date() },
          actor: { actorType: "marketplace" },
          reason: "rolled back",
        });
        // The event was written inside the transaction…
        expect(await tx.outboxEvent.count({ where: { subscriptionId: live.id } })).toBe(before.length + 1);
        throw new Error("the change fails after the event was written");
      }),
    ).rejects.toThrow("the change fails");
    // …and went with it.
    expect(await eventsOf(live.id)).toEqual(before);
    expect((await db().subscription.findUniqueOrThrow({ where: { id: live.id } })).planId).toBe("basic");
    expect(await db().eventDelivery.count()).toBe(deliveriesBefore);

    await setEndpointEnabled({ endpointId: endpoint.endpoint.id, enabled: true, actor: admin });
    await syncFrom({ ...live, planId: "pro" });
    const after = await eventsOf(live.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ type: "subscription.plan_changed", sequence: before.length + 1 });
    // Its delivery and the delivery's job were committed with it.
    const delivery = await db().eventDelivery.findFirstOrThrow({ where: { eventId: after.at(-1)!.id } });
    expect(delivery).toMatchObject({ endpointId: endpoint.endpoint.id, status: "pending" });
    expect((await jobsOf(deliverEventJob)).some((job) => job.data.deliveryId === delivery.id)).toBe(true);
    await db().eventEndpoint.delete({ where: { id: endpoint.endpoint.id } });
  });

  it("writes one delivery per enabled endpoint that wants the type", async () => {
    const all = await createEndpoint({
      input: { url: "http://127.0.0.1:9/all", description: "all", eventTypes: [] },
      actor: admin,
    });
    const plans = await createEndpoint({
      input: { url: "http://127.0.0.1:9/plans", description: "plans", eventTypes: ["subscription.plan_changed"] },
      actor: admin,
    });
    const off = await createEndpoint({
      input: { url: "http://127.0.0.1:9/off", description: "off", eventTypes: [] },
      actor: admin,
    });
    await setEndpointEnabled({ endpointId: off.endpoint.id, enabled: false, actor: admin });
    const live = snapshotOf({ saasSubscriptionStatus: "Subscribed", planId: "basic", quantity: 1 });
    await syncFrom(live);
    await syncFrom({ ...live, planId: "pro", quantity: 1 });
    const events = await eventsOf(live.id);
    const endpointsOf = async (type: string) =>
      (
        await db().eventDelivery.findMany({
          where: { eventId: events.find((event) => event.type === type)!.id },
          select: { endpointId: true },
        })
      )
        .map((delivery) => delivery.endpointId)
        .sort();
    expect(await endpointsOf("subscription.created")).toEqual([all.endpoint.id]);
    expect(await endpointsOf("subscription.plan_changed")).toEqual([all.endpoint.id, plans.endpoint.id].sort());
    await db().eventEndpoint.deleteMany({
      where: { id: { in: [all.endpoint.id, plans.endpoint.id, off.endpoint.id] } },
    });
  });
});

describe("sequence numbers", () => {
  // On PostgreSQL the transactions race for the counter row; on the embedded database its one
  // connection runs them one after another, and numbering and rollbacks are checked all the same.
  it("stay unique and gap-free when many transactions emit for one subscription at once, some rolling back", async () => {
    const { id } = await syncFrom(snapshotOf({ saasSubscriptionStatus: "Subscribed" }));
    const base = (await eventsOf(id)).length;
    const attempts = 24;
    const results = await Promise.allSettled(
      Array.from({ length: attempts }, (_, index) =>
        db().$transaction(
          async (tx) => {
            const event = await emitEvent(tx, {
              type: "subscription.renewed",
              subscriptionId: id,
              data: { change: { attempt: index } },
            });
            if (index % 5 === 0) throw new Error(`rolled back ${index}`);
            return event;
          },
          { timeout: 30_000, maxWait: 30_000 },
        ),
      ),
    );
    const committed = results.filter((result) => result.status === "fulfilled");
    expect(committed).toHaveLength(attempts - Math.ceil(attempts / 5));
    const sequences = (await eventsOf(id)).map((event) => event.sequence);
    expect(sequences).toEqual(Array.from({ length: base + committed.length }, (_, index) => index + 1));
    // Each committed transaction saw the number it was stored with.
    expect(new Set(committed.map((result) => result.value.sequence))).toEqual(new Set(sequences.slice(base)));
  });

  it("hands the first numbers of a new subscription out once when its first events race", async () => {
    const { id } = await syncFrom(snapshotOf({ saasSubscriptionStatus: "Subscribed" }));
    // A subscription whose counter row does not exist yet (as when it was recorded before events existed).
    await db().eventSequence.delete({ where: { subscriptionId: id } });
    await db().outboxEvent.deleteMany({ where: { subscriptionId: id } });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        db().$transaction((tx) => emitEvent(tx, { type: "subscription.renewed", subscriptionId: id }), {
          timeout: 30_000,
          maxWait: 30_000,
        }),
      ),
    );
    expect(results.map((result) => result.sequence).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe("other events", () => {
  it("announces usage that will not be billed (usage.rejected), one event per hour", async () => {
    const { id } = await syncFrom(snapshotOf({ saasSubscriptionStatus: "Subscribed" }));
    const old = new Date(Date.now() - 30 * 3_600_000);
    old.setUTCMinutes(0, 0, 0);
    await db().usageHour.createMany({
      data: [
        { subscriptionId: id, dimension: "reports", hourStart: old, planId: "basic", quantity: "12.5" },
        { subscriptionId: id, dimension: "storage-gb", hourStart: old, planId: "basic", quantity: "3" },
      ],
    });
    const now = new Date();
    await settleUnbillableHours({ now, closedUntil: now, expiredBefore: new Date(now.getTime() - 24 * 3_600_000) });
    const rejected = (await eventsOf(id)).filter((event) => event.type === "usage.rejected");
    expect(rejected.map((event) => (event.payload as { usage: { dimension: string } }).usage.dimension).sort()).toEqual(
      ["reports", "storage-gb"],
    );
    expect(rejected[0]!.payload).toMatchObject({
      usage: {
        period: "hour",
        periodStart: old.toISOString(),
        status: "expired",
        marketplaceStatus: "NotSent",
        reason: expect.stringContaining("24-hour"),
      },
      subscription: { subscriptionId: id, status: "Subscribed" },
    });
  });

  it("announces an acknowledgement Microsoft did not take (marketplace.acknowledgement_failed)", async () => {
    // A subscription the sandbox does not know: Microsoft answers 404 for its operation.
    const { id } = await syncFrom(snapshotOf({ saasSubscriptionStatus: "Subscribed" }));
    await acknowledgeOperation({
      subscriptionId: id,
      operationId: "0f0f0f0f-0000-4000-8000-000000000001",
      status: "Success",
    });
    const [failed] = (await eventsOf(id)).filter((event) => event.type === "marketplace.acknowledgement_failed");
    expect(failed?.payload).toMatchObject({
      acknowledgement: {
        operationId: "0f0f0f0f-0000-4000-8000-000000000001",
        answer: "Success",
        outcome: "unknown_operation",
        microsoftStatus: null,
      },
    });
  });
});

describe("retention", () => {
  it("prunes old events once no delivery waits for a retry, keeping the numbering", async () => {
    const { endpoint } = await createEndpoint({
      input: { url: "http://127.0.0.1:9/retention", description: "", eventTypes: [] },
      actor: admin,
    });
    const { id } = await syncFrom(snapshotOf({ saasSubscriptionStatus: "Subscribed" }));
    const [created, activated] = await eventsOf(id);
    const delivery = (eventId: string) =>
      db().eventDelivery.findFirstOrThrow({ where: { eventId, endpointId: endpoint.id } });
    await db().eventDelivery.update({ where: { id: (await delivery(created!.id)).id }, data: { status: "delivered" } });
    // The second stays pending (a retry waits).
    const old = new Date(Date.now() - 40 * 86_400_000);
    await db().outboxEvent.updateMany({ where: { subscriptionId: id }, data: { createdAt: old } });

    const pruned = await pruneRecords();
    expect(pruned.outboxEvents).toBeGreaterThanOrEqual(1);
    expect((await eventsOf(id)).map((event) => event.id)).toEqual([activated!.id]);
    expect(await db().eventDelivery.count({ where: { eventId: created!.id } })).toBe(0);

    await db().$transaction((tx) => emitEvent(tx, { type: "subscription.renewed", subscriptionId: id }));
    expect((await eventsOf(id)).map((event) => event.sequence)).toEqual([2, 3]);
  });
});
