/**
 * Delivering events (docs/decisions/0013) to local receivers, with short retry settings: signed as
 * Standard Webhooks (checked with the `standardwebhooks` verifier, as a product would), retried
 * with backoff, dead-lettered after the window, 410 Gone disables the endpoint, redirects are not
 * followed, replays, secret rotation with overlap, and a slow endpoint holding up no one.
 */
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { snapshotOf, syncFrom } from "@/tests/support/event-subscriptions";
import { startEventReceiver } from "@/tests/support/event-receiver";
import { discardLeftoverJobs, jobsOf, startJobs } from "@/tests/support/jobs";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { deliverEventJob } from "./deliver-event";
import { eventTypeName } from "./event-types";
import { createEndpoint, rotateEndpointSecret, setEndpointEnabled } from "./manage-endpoints";
import { replayDelivery, replayFailedDeliveries } from "./replay-deliveries";
import { retryCeilingMs, retrySettings } from "./retry-schedule";
import { sendEvent } from "./send-event";

// Short delays: retries after ~0.2 s, 0.4 s, then 0.5 s apart, for 3.6 s.
const settings = {
  EVENT_ENDPOINT_ALLOWED_HOSTS: "127.0.0.1,events.example",
  EVENT_RETRY_BASE_SECONDS: "0.2",
  EVENT_RETRY_MAX_DELAY_SECONDS: "0.5",
  EVENT_RETRY_WINDOW_HOURS: "0.001",
  EVENT_DELIVERY_TIMEOUT_SECONDS: "5",
  EVENT_ENDPOINT_MAX_IN_FLIGHT: "2",
};
Object.assign(process.env, settings);

const admin = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
let workers: RunningWorkers;
let receivers: Array<Awaited<ReturnType<typeof startEventReceiver>>> = [];

async function receiver() {
  const started = await startEventReceiver();
  receivers.push(started);
  return started;
}

async function endpointFor(url: string, eventTypes: Parameters<typeof createEndpoint>[0]["input"]["eventTypes"] = []) {
  const { endpoint, secret } = await createEndpoint({ input: { url, description: "test", eventTypes }, actor: admin });
  return { id: endpoint.id, secret };
}

/** A new subscription: its `subscription.created` event goes to every endpoint that wants it. */
async function newSubscriptionEvent() {
  const { id } = await syncFrom(snapshotOf());
  const event = await db().outboxEvent.findFirstOrThrow({ where: { subscriptionId: id, sequence: 1 } });
  return event;
}

const deliveryOf = (eventId: string, endpointId: string) =>
  db().eventDelivery.findUniqueOrThrow({
    where: { eventId_endpointId: { eventId, endpointId } },
    include: { attempts: { orderBy: { startedAt: "asc" } } },
  });

const headersOf = (request: { headers: Record<string, string | string[] | undefined> }) =>
  Object.fromEntries(
    Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );

beforeAll(async () => {
  await db().eventEndpoint.deleteMany();
  // An earlier file's activation follow-up, run here, once sent its event to this file's receiver.
  await discardLeftoverJobs();
  workers = await startJobs();
});

afterEach(async () => {
  await db().eventEndpoint.deleteMany();
  for (const started of receivers) {
    started.release();
    await started.close();
  }
  receivers = [];
});

afterAll(async () => {
  await workers.stop();
});

describe("delivering events", () => {
  it("delivers a signed event that the standardwebhooks verifier accepts, and records the attempt", async () => {
    const product = await receiver();
    const endpoint = await endpointFor(product.url());
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const event = await newSubscriptionEvent();

    const delivered = await until(
      () => deliveryOf(event.id, endpoint.id),
      (d) => d.status === "delivered",
      "delivery",
    );
    const [request] = product.received;
    expect(product.received).toHaveLength(1);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.headers["webhook-id"]).toBe(event.id);
    const verified = new Webhook(endpoint.secret).verify(request!.body, headersOf(request!)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(verified).toMatchObject({
      type: "subscription.created",
      timestamp: event.createdAt.toISOString(),
      data: { subscriptionId: event.subscriptionId, sequence: 1, subscription: { status: "PendingFulfillmentStart" } },
    });
    expect(verified).toEqual({
      type: eventTypeName(event.type),
      timestamp: event.createdAt.toISOString(),
      data: event.payload,
    });
    // Another secret, or a body changed on the way, does not verify.
    expect(() =>
      new Webhook("whsec_" + Buffer.alloc(32, 7).toString("base64")).verify(request!.body, headersOf(request!)),
    ).toThrow("No matching signature");
    expect(() =>
      new Webhook(endpoint.secret).verify(request!.body.replace('"sequence":1', '"sequence":2'), headersOf(request!)),
    ).toThrow("No matching signature");

    expect(delivered).toMatchObject({ attemptCount: 1, lastStatusCode: 204, lastError: null, nextAttemptAt: null });
    expect(delivered.attempts).toHaveLength(1);
    expect(delivered.attempts[0]).toMatchObject({ outcome: "delivered", statusCode: 204, error: null });
    expect(delivered.attempts[0]!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("retries failures with growing, jittered delays under the same webhook-id, and keeps each answer's excerpt", async () => {
    const product = await receiver();
    product.answerNext(
      { status: 500, body: "database temporarily down" },
      { status: 503, body: "still down" },
      { status: 200, body: "ok" },
    );
    const endpoint = await endpointFor(product.url());
    const event = await newSubscriptionEvent();
    const delivered = await until(
      () => deliveryOf(event.id, endpoint.id),
      (d) => d.status === "delivered",
      "delivery after retries",
    );

    expect(delivered.attempts.map((attempt) => [attempt.outcome, attempt.statusCode])).toEqual([
      ["http_error", 500],
      ["http_error", 503],
      ["delivered", 200],
    ]);
    expect(delivered.attempts[0]!.responseExcerpt).toBe("database temporarily down");
    expect(delivered.attempts[0]!.error).toBe("The endpoint answered 500.");
    expect(product.received.map((request) => request.headers["webhook-id"])).toEqual([event.id, event.id, event.id]);
    // Each wait is at least half its ceiling (jitter), and the ceiling doubles: never sooner.
    const retry = retrySettings({
      EVENT_RETRY_BASE_SECONDS: 0.2,
      EVENT_RETRY_MAX_DELAY_SECONDS: 0.5,
      EVENT_RETRY_WINDOW_HOURS: 0.001,
    });
    const starts = delivered.attempts.map((attempt) => attempt.startedAt.getTime());
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(retryCeilingMs(1, retry) / 2);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(retryCeilingMs(2, retry) / 2);
    // Every attempt is signed afresh (its own timestamp) and verifies.
    for (const request of product.received)
      expect(() => new Webhook(endpoint.secret).verify(request.body, headersOf(request))).not.toThrow();
  });

  it("dead-letters a delivery that never succeeds within the retry window, and books nothing after", async () => {
    const product = await receiver();
    product.answerAlways({ status: 500, body: "broken" });
    const endpoint = await endpointFor(product.url());
    const event = await newSubscriptionEvent();
    const dead = await until(
      () => deliveryOf(event.id, endpoint.id),
      (d) => d.status === "dead_lettered",
      "dead letter",
      30_000,
    );
    expect(dead.attempts.length).toBeGreaterThanOrEqual(3);
    expect(dead.attempts.length).toBe(dead.attemptCount);
    expect(dead.deadLetterReason).toMatch(
      /^No successful attempt within 0\.001 h \(\d+ attempts\); last: The endpoint answered 500\./,
    );
    expect(dead.nextAttemptAt).toBeNull();
    const waiting = await jobsOf(deliverEventJob, { states: ["created", "retry"] });
    expect(waiting.filter((job) => job.data.deliveryId === dead.id)).toEqual([]);
  });

  it("disables an endpoint that answers 410 Gone, and sends it nothing more", async () => {
    const product = await receiver();
    product.answerAlways({ status: 410, body: "gone" });
    const endpoint = await endpointFor(product.url());
    const event = await newSubscriptionEvent();
    const dead = await until(
      () => deliveryOf(event.id, endpoint.id),
      (d) => d.status === "dead_lettered",
      "410",
    );
    expect(dead.attempts.map((attempt) => attempt.outcome)).toEqual(["gone"]);
    expect(dead.deadLetterReason).toContain("410 Gone");
    expect(await db().eventEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({
      enabled: false,
      disabledReason: "it answered 410 Gone",
    });
    const audit = await db().auditEvent.findFirst({
      where: { action: "event_endpoint_disabled" },
      orderBy: { id: "desc" },
    });
    expect(audit?.detail).toMatchObject({ endpointId: endpoint.id, reason: "410 Gone" });

    const later = await newSubscriptionEvent();
    expect(await db().eventDelivery.count({ where: { eventId: later.id } })).toBe(0);
    await expect(replayDelivery({ deliveryId: dead.id, actor: admin })).rejects.toThrow("enable it first");
    expect(product.received).toHaveLength(1);
  });

  it("does not follow a redirect: the attempt fails with the reason, and the redirect's target hears nothing", async () => {
    const elsewhere = await receiver();
    const product = await receiver();
    product.answerAlways({ status: 302, headers: { location: elsewhere.url("/stolen") } });
    const endpoint = await endpointFor(product.url());
    const event = await newSubscriptionEvent();
    const failed = await until(
      () => deliveryOf(event.id, endpoint.id),
      (d) => d.attempts.length >= 1,
      "redirect attempt",
    );
    await setEndpointEnabled({ endpointId: endpoint.id, enabled: false, actor: admin });
    expect(failed.attempts[0]).toMatchObject({ outcome: "redirect", statusCode: 302 });
    expect(failed.attempts[0]!.error).toContain("redirects are not followed");
    expect(failed.attempts[0]!.error).toContain(elsewhere.url("/stolen"));
    expect(elsewhere.received).toHaveLength(0);
  });
});

describe("replays", () => {
  it("replays one delivery (delivered or dead-lettered) with the same webhook-id, audited", async () => {
    const product = await receiver();
    const endpoint = await endpointFor(product.url());
    const event = await newSubscriptionEvent();
    const first = await until(
      () => deliveryOf(event.id, endpoint.id),
      (d) => d.status === "delivered",
      "first delivery",
    );
    await replayDelivery({ deliveryId: first.id, actor: admin });
    const again = await until(
      () => deliveryOf(event.id, endpoint.id),
      (d) => d.status === "delivered" && d.attemptCount === 2,
      "replay",
    );
    expect(again.attempts).toHaveLength(2);
    expect(product.received.map((request) => request.headers["webhook-id"])).toEqual([event.id, event.id]);
    const audit = await db().auditEvent.findFirst({ where: { action: "events_replayed" }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({
      actorTid: admin.tid,
      actorOid: admin.oid,
      detail: { eventId: event.id, previousStatus: "delivered" },
    });
  });

  it("replays every dead-lettered delivery of an endpoint once it works again", async () => {
    const product = await receiver();
    product.answerAlways({ status: 503 });
    const endpoint = await endpointFor(product.url());
    const events = [await newSubscriptionEvent(), await newSubscriptionEvent()];
    for (const event of events)
      await until(
        () => deliveryOf(event.id, endpoint.id),
        (d) => d.status === "dead_lettered",
        "dead letter",
        30_000,
      );

    product.answerAlways({ status: 202 });
    const result = await replayFailedDeliveries({ endpointId: endpoint.id, actor: admin });
    expect(result).toEqual({ replayed: 2, remaining: 0 });
    for (const event of events) {
      const delivered = await until(
        () => deliveryOf(event.id, endpoint.id),
        (d) => d.status === "delivered",
        "replayed delivery",
      );
      expect(delivered).toMatchObject({
        cycleAttempts: 1,
        deadLetteredAt: null,
        deadLetterReason: null,
        lastStatusCode: 202,
      });
    }
    expect(await replayFailedDeliveries({ endpointId: endpoint.id, actor: admin })).toEqual({
      replayed: 0,
      remaining: 0,
    });
  });
});

describe("secret rotation", () => {
  it("signs with both secrets during the overlap, so either verifies; with the new one only after", async () => {
    const product = await receiver();
    const endpoint = await endpointFor(product.url());
    const rotated = await rotateEndpointSecret({ endpointId: endpoint.id, overlapHours: 1, actor: admin });
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.previousValidUntil!.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);

    const during = await newSubscriptionEvent();
    await until(
      () => deliveryOf(during.id, endpoint.id),
      (d) => d.status === "delivered",
      "delivery during the overlap",
    );
    const overlapping = product.received.at(-1)!;
    expect(String(overlapping.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(new Webhook(endpoint.secret).verify(overlapping.body, headersOf(overlapping))).toMatchObject({
      type: "subscription.created",
    });
    expect(new Webhook(rotated.secret).verify(overlapping.body, headersOf(overlapping))).toMatchObject({
      type: "subscription.created",
    });

    const final = await rotateEndpointSecret({ endpointId: endpoint.id, overlapHours: 0, actor: admin });
    const after = await newSubscriptionEvent();
    await until(
      () => deliveryOf(after.id, endpoint.id),
      (d) => d.status === "delivered",
      "delivery after the overlap",
    );
    const single = product.received.at(-1)!;
    expect(String(single.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(() => new Webhook(final.secret).verify(single.body, headersOf(single))).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(single.body, headersOf(single))).toThrow("No matching signature");
    const audits = (
      await db().auditEvent.findMany({ where: { action: "event_endpoint_secret_rotated" }, orderBy: { id: "asc" } })
    ).filter((audit) => (audit.detail as { endpointId?: string } | null)?.endpointId === endpoint.id);
    expect(audits).toHaveLength(2);
    // The audit trail says who rotated, never the secret.
    expect(JSON.stringify(audits.map((audit) => audit.detail))).not.toContain(final.secret.slice(6, 20));
    expect(audits.at(-1)?.detail).toEqual({ endpointId: endpoint.id, overlapHours: 0 });
  });
});

describe("isolation", () => {
  it("a slow endpoint holds up neither the change that caused the event nor the other endpoints", async () => {
    const slow = await receiver();
    slow.answerAlways("hold");
    const fast = await receiver();
    const slowEndpoint = await endpointFor(slow.url());
    await endpointFor(fast.url());

    const events = [];
    for (let n = 0; n < 4; n += 1) events.push(await newSubscriptionEvent()); // each change committed at once
    await until(
      async () => [fast.received.length, slow.received.length] as const,
      ([atFast, atSlow]) => atFast === 4 && atSlow >= 1,
      "every event at the fast endpoint, and the slow one busy",
    );
    // Meanwhile the slow endpoint still sits on its requests, at most EVENT_ENDPOINT_MAX_IN_FLIGHT of them.
    expect(slow.received.length).toBeLessThanOrEqual(2);
    expect(slow.received.every((request) => request.answered === null)).toBe(true);

    slow.answerAlways({ status: 200 });
    slow.release();
    for (const event of events)
      await until(
        () => deliveryOf(event.id, slowEndpoint.id),
        (d) => d.status === "delivered",
        "slow endpoint catches up",
      );
  });
});

describe("the address a delivery connects to", () => {
  it("connects to the address that was checked, not to a fresh resolution of the name", async () => {
    const product = await receiver();
    let lookups = 0;
    const result = await sendEvent({
      url: `http://events.example:${product.port}/pinned`,
      headers: { "content-type": "application/json" },
      body: "{}",
      timeoutMs: 5000,
      allowList: ["events.example"],
      lookup: async () => {
        lookups += 1;
        return [{ address: "127.0.0.1", family: 4 }];
      },
    });
    expect(result).toMatchObject({ outcome: "delivered", statusCode: 204 });
    expect(lookups).toBe(1);
    expect(product.received.map((request) => request.path)).toEqual(["/pinned"]);
  });
});
