/**
 * Metered billing end to end on a real database against the sandbox's Metering API: the product
 * reports usage with an API key, the portal folds it into hours and bills each hour exactly once
 * — through duplicates, crashes, downtime, expiry, 409 and 429.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { deleteJobs, jobsOf, startJobs as startJobWorkers } from "@/tests/support/jobs";
import { marketplace } from "@/lib/marketplace";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { readSubscription } from "@/lib/subscriptions/read-subscription";
import { syncSubscription } from "@/lib/subscriptions/sync-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { awayFromHourBoundary } from "@/tests/support/clock";
import { generateApiKeySecret } from "../api-keys/api-key-format";
import { authenticateApiKey, type AuthenticatedApiKey } from "../api-keys/authenticate-api-key";
import { createApiKey } from "../api-keys/create-api-key";
import { SUBMIT_LEASE_MARGIN_MS, SUBMIT_LEASE_MS } from "./claim-usage-hours";
import { RETRY_BASE_MS } from "./classify-usage-result";
import { ingestUsage, type IngestResult } from "./ingest-usage";
import { revokeApiKey } from "../api-keys/revoke-api-key";
import { requestUsageSubmission, submitUsage, submitUsageJob, type UsageSender } from "./submit-usage";
import { HOUR_MS, hourStartOf } from "./usage-window";

const sandbox = sandboxControl();
const paula = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
const config = {
  companyName: "Fabrikam, Inc.",
  contactName: "Alice Admin",
  contactEmail: "alice@fabrikam.example",
  acceptTerms: "on" as const,
};
let apiKey: AuthenticatedApiKey;
let bearer: string;

async function activeSubscription(
  offerId = "contoso-analytics",
  planId = "basic",
  buyer: { tid: string; oid: string } = seeded.alice,
) {
  const purchase = await sandbox.purchase({
    offerId,
    planId,
    quantity: planId.endsWith("-seats") ? 5 : undefined,
    beneficiary: { tid: buyer.tid, oid: buyer.oid },
  });
  const actor = { ...buyer, roles: [] };
  await resolvePurchase({ token: purchase.token, actor });
  await activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor });
  return purchase.subscriptionId;
}

/** A time inside the UTC hour that started `hours` hours before the current one. */
const inHour = (hours: number, minute = hours === 0 ? 0 : 10) =>
  new Date(hourStartOf(new Date()).getTime() - hours * HOUR_MS + minute * 60_000);
const hourOf = (hours: number) => new Date(hourStartOf(new Date()).getTime() - hours * HOUR_MS);

const record = (
  subscriptionId: string,
  hours: number,
  quantity: number | string,
  overrides: Record<string, unknown> = {},
) => ({
  subscriptionId,
  dimension: "reports",
  quantity,
  effectiveAt: inHour(hours).toISOString(),
  idempotencyKey: randomUUID(),
  ...overrides,
});

const report = (records: unknown[], key = apiKey): Promise<IngestResult> =>
  ingestUsage({ apiKey: key, body: { records } });
const hours = (subscriptionId: string) =>
  db().usageHour.findMany({ where: { subscriptionId }, orderBy: [{ hourStart: "asc" }, { dimension: "asc" }] });
const billed = (subscriptionId: string) => sandbox.usageEvents(subscriptionId);
const usageCalls = async (since: Date) =>
  (await sandbox.calls(since)).filter((call) => call.path.startsWith("/api/batchUsageEvent"));
const submit = (options: Partial<Parameters<typeof submitUsage>[0]> = {}) =>
  submitUsage({ trigger: "manual", ...options });

beforeAll(async () => {
  const created = await createApiKey({
    input: { name: "integration tests", scopes: ["usage:write"], offerIds: [], tenantIds: [] },
    actor: paula,
  });
  bearer = `Bearer ${created.key}`;
  const authenticated = await authenticateApiKey({ authorization: bearer, scope: "usage:write" });
  if (!authenticated.ok) throw new Error("the new key does not authenticate");
  apiKey = authenticated.apiKey;
});

// Hours are computed from the real clock here, in the portal and in the sandbox.
beforeEach(() => awayFromHourBoundary());

afterEach(async () => {
  await sandbox.clearFaults();
  // Each test starts with nothing left to send from the one before.
  await db().usageHour.updateMany({
    where: { status: { in: ["pending", "held", "submitting"] } },
    data: { status: "failed", lastError: "test cleanup" },
  });
  await db().usageRecord.deleteMany({ where: { usageHourId: null } });
  await deleteJobs(submitUsageJob, { states: ["created", "retry"] });
});

afterAll(async () => {
  await disconnectDatabase();
});

describe("POST /api/usage: ingest", () => {
  it("accepts records with 202 and answers a replay with the same result; another record under the same key is a 409", async () => {
    const id = await activeSubscription();
    const first = record(id, 2, 3);
    const answer = await report([first]);
    expect(answer.status).toBe(202);
    expect(answer.body.results[0]).toMatchObject({
      status: "accepted",
      hourStart: hourOf(2).toISOString(),
      quantity: "3",
      replayed: false,
    });

    const replay = await report([first]);
    expect(replay.status).toBe(202);
    expect(replay.body.results[0]).toMatchObject({
      status: "accepted",
      recordId: (answer.body.results[0] as { recordId: string }).recordId,
      replayed: true,
    });

    const single = await ingestUsage({ apiKey, body: { ...first, quantity: 4 } });
    expect(single.status).toBe(409);
    expect(single.body.error).toMatchObject({ code: "idempotency_conflict", field: "idempotencyKey" });
    expect(await db().usageRecord.count({ where: { subscriptionId: id } })).toBe(1);
  });

  it("refuses every kind of bad input with a clear 4xx and records nothing", async () => {
    const id = await activeSubscription();
    const pending = (
      await sandbox.purchase({
        offerId: "contoso-analytics",
        planId: "basic",
        beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
      })
    ).subscriptionId;
    await resolvePurchase({ token: (await sandbox.newToken(pending)).token, actor: { ...seeded.alice, roles: [] } });
    const seats = await activeSubscription("contoso-analytics", "pro-seats");
    const before = await db().usageRecord.count();

    const cases: Array<[string, Record<string, unknown>, number, string]> = [
      ["negative quantity", record(id, 1, -1), 400, "invalid_record"],
      ["NaN", record(id, 1, "NaN"), 400, "invalid_record"],
      ["huge quantity", record(id, 1, 1e12), 422, "quantity_too_large"],
      ["quantity beyond 1e21 (toFixed prints an exponent)", record(id, 1, 1e21), 400, "invalid_record"],
      [
        "future time",
        record(id, 0, 1, { effectiveAt: new Date(Date.now() + 3_600_000).toISOString() }),
        422,
        "time_in_future",
      ],
      [
        "too old",
        record(id, 0, 1, { effectiveAt: new Date(Date.now() - 23.5 * 3_600_000).toISOString() }),
        422,
        "time_too_old",
      ],
      ["time without offset", record(id, 1, 1, { effectiveAt: "2026-11-25T10:00:00" }), 400, "invalid_record"],
      ["unknown dimension", record(id, 1, 1, { dimension: "storage-gb" }), 422, "dimension_unknown"],
      ["a plan without dimensions", record(seats, 1, 1), 422, "dimension_unknown"],
      ["unknown subscription", record(randomUUID(), 1, 1), 404, "subscription_not_found"],
      ["not Subscribed", record(pending, 1, 1), 409, "subscription_not_active"],
      ["missing idempotency key", record(id, 1, 1, { idempotencyKey: undefined }), 400, "invalid_record"],
    ];
    for (const [name, body, status, code] of cases) {
      const answer = await ingestUsage({ apiKey, body });
      expect({ name, status: answer.status, code: answer.body.error?.code }).toEqual({ name, status, code });
      expect(answer.body.error?.message.length).toBeGreaterThan(10);
    }
    expect(await db().usageRecord.count()).toBe(before);
  });

  it("refuses unknown, malformed and revoked keys, and subscriptions outside a key's tenants or offers", async () => {
    const id = await activeSubscription();
    expect(await authenticateApiKey({ authorization: null, scope: "usage:write" })).toMatchObject({
      ok: false,
      refusal: { code: "unauthenticated" },
    });
    expect(await authenticateApiKey({ authorization: "Bearer nonsense", scope: "usage:write" })).toMatchObject({
      ok: false,
      refusal: { code: "unauthenticated" },
    });
    expect(
      await authenticateApiKey({ authorization: `Bearer ${generateApiKeySecret().key}`, scope: "usage:write" }),
    ).toMatchObject({
      ok: false,
      refusal: { code: "unauthenticated" },
    });
    // The right prefix with a wrong secret.
    expect(
      await authenticateApiKey({ authorization: `${bearer.slice(0, -4)}AAAA`, scope: "usage:write" }),
    ).toMatchObject({ ok: false });

    const northwindOnly = await createApiKey({
      input: { name: "northwind deployment", scopes: ["usage:write"], offerIds: [], tenantIds: [seeded.northwind] },
      actor: paula,
    });
    const northwindKey = await authenticateApiKey({
      authorization: `Bearer ${northwindOnly.key}`,
      scope: "usage:write",
    });
    if (!northwindKey.ok) throw new Error("key did not authenticate");
    const otherTenant = await report([record(id, 1, 1)], northwindKey.apiKey);
    expect(otherTenant.status).toBe(404);
    expect(otherTenant.body.results[0]).toMatchObject({ status: "refused", error: { code: "subscription_not_found" } });

    const backupOnly = await createApiKey({
      input: { name: "backup product", scopes: ["usage:write"], offerIds: ["contoso-backup"], tenantIds: [] },
      actor: paula,
    });
    const backupKey = await authenticateApiKey({ authorization: `Bearer ${backupOnly.key}`, scope: "usage:write" });
    if (!backupKey.ok) throw new Error("key did not authenticate");
    expect((await report([record(id, 1, 1)], backupKey.apiKey)).status).toBe(404);

    expect(await revokeApiKey({ apiKeyId: backupKey.apiKey.id, actor: paula })).toBe(true);
    expect(await revokeApiKey({ apiKeyId: backupKey.apiKey.id, actor: paula })).toBe(false);
    expect(await authenticateApiKey({ authorization: `Bearer ${backupOnly.key}`, scope: "usage:write" })).toMatchObject(
      {
        ok: false,
        refusal: { code: "unauthenticated", message: expect.stringContaining("revoked") },
      },
    );
    expect(await db().auditEvent.count({ where: { action: "api_key_revoked", actorOid: paula.oid } })).toBeGreaterThan(
      0,
    );
    expect(await db().usageRecord.count({ where: { subscriptionId: id } })).toBe(0);
  });

  it("a batch: each record stands alone; duplicates of a key inside one request; concurrent identical requests store one record", async () => {
    const id = await activeSubscription();
    const good = record(id, 1, 2);
    const answer = await report([good, record(id, 1, -5), { ...good }, { ...good, quantity: 9 }]);
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ accepted: 2, refused: 2 });
    expect(
      answer.body.results.map((r) =>
        r.status === "accepted" ? `accepted${r.replayed ? " (replay)" : ""}` : r.error.code,
      ),
    ).toEqual(["accepted", "invalid_record", "accepted (replay)", "idempotency_conflict"]);

    const allBad = await report([record(id, 1, -1), record(id, 1, "x")]);
    expect(allBad.status).toBe(400);
    const mixedBad = await report([record(id, 1, -1), record(randomUUID(), 1, 1)]);
    expect(mixedBad.status).toBe(400);

    const same = record(id, 1, 1);
    const answers = await Promise.all(Array.from({ length: 5 }, () => report([same])));
    expect(answers.every((a) => a.status === 202 && a.body.results[0]?.status === "accepted")).toBe(true);
    expect(answers.filter((a) => a.body.results[0]?.status === "accepted" && !a.body.results[0].replayed)).toHaveLength(
      1,
    );
    expect(await db().usageRecord.count({ where: { subscriptionId: id } })).toBe(2);
  });
});

describe("submission to the Metering API", () => {
  it("sends one event per subscription, dimension and closed hour with the hour's total, and bills it once", async () => {
    const id = await activeSubscription("contoso-backup", "standard");
    const started = new Date();
    await report([
      record(id, 2, 1.5, { dimension: "storage-gb" }),
      record(id, 2, 2.25, { dimension: "storage-gb" }),
      record(id, 2, 1, { dimension: "restores" }),
      record(id, 1, 4, { dimension: "storage-gb" }),
      record(id, 0, 100, { dimension: "storage-gb" }), // the current hour is not closed: not sent yet
    ]);
    const summary = await submit();
    expect(summary.outcomes.accepted).toBeGreaterThanOrEqual(3);

    const events = await billed(id);
    expect(events.map((e) => `${e.hourStart} ${e.dimension} ${e.quantity}`).sort()).toEqual(
      [
        `${hourOf(2).toISOString()} restores 1`,
        `${hourOf(2).toISOString()} storage-gb 3.75`,
        `${hourOf(1).toISOString()} storage-gb 4`,
      ].sort(),
    );
    const rows = (await hours(id)).filter((h) => h.status === "accepted");
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(events.map((e) => e.usageEventId)).toContain(row.usageEventId);
    expect(await db().usageRecord.count({ where: { subscriptionId: id, usageHourId: null } })).toBe(1);

    await submit();
    await submit({ trigger: "schedule" });
    expect(await billed(id)).toHaveLength(3);
    expect((await usageCalls(started)).filter((call) => call.status === 200)).toHaveLength(1);
  });

  it("usage reported after its hour was billed rolls into the next unsent hour — never a second event for the hour", async () => {
    const id = await activeSubscription();
    await report([record(id, 3, 5)]);
    await submit();
    const late = await report([record(id, 3, 2), record(id, 2, 1)]);
    expect(late.status).toBe(202);
    await submit();
    const events = await billed(id);
    expect(events.map((e) => `${e.hourStart} ${e.quantity}`)).toEqual([
      `${hourOf(3).toISOString()} 5`,
      `${hourOf(2).toISOString()} 3`,
    ]);
    const lateRecord = await db().usageRecord.findFirstOrThrow({
      where: { subscriptionId: id, quantity: 2 },
      include: { usageHour: true },
    });
    expect(lateRecord.hourStart).toEqual(hourOf(3));
    expect(lateRecord.usageHour?.hourStart).toEqual(hourOf(2));
  });

  it("a crash after Microsoft accepted the batch but before the answer was stored: the restart re-sends, Duplicate counts as billed", async () => {
    const id = await activeSubscription();
    await report([record(id, 2, 6), record(id, 1, 7)]);
    const crashing: UsageSender = {
      batchUsageEvent: async (events, options) => {
        await marketplace().batchUsageEvent(events, options);
        throw new Error("the process died");
      },
    };
    await expect(submit({ sender: crashing })).rejects.toThrow("the process died");
    expect((await hours(id)).map((h) => h.status)).toEqual(["submitting", "submitting"]);
    const accepted = await billed(id);
    expect(accepted).toHaveLength(2);

    // Within the lease nothing is re-sent (the call may still be running)...
    expect((await submit()).sent).toBe(0);
    // ...after it, the restarted portal sends again and Microsoft answers Duplicate.
    await submit({ now: new Date(Date.now() + 3 * 60_000) });
    const rows = await hours(id);
    expect(rows.map((h) => [h.status, h.lastStatus, h.attempts])).toEqual([
      ["accepted", "Duplicate", 2],
      ["accepted", "Duplicate", 2],
    ]);
    expect(rows.map((h) => h.usageEventId).sort()).toEqual(accepted.map((e) => e.usageEventId).sort());
    expect(await billed(id)).toHaveLength(2);
  });

  it("lost-answer: Microsoft took the batch but the answer was lost; the resend comes back Duplicate, billed once and recorded as accepted", async () => {
    const id = await activeSubscription();
    await report([record(id, 2, 6), record(id, 1, 7)]);
    await sandbox.variants(["lost-answer"]);
    try {
      const since = new Date();
      await submit();
      // The first call was processed and its answer lost; the client's own retry got the Duplicates.
      expect((await usageCalls(since)).map((call) => call.lostAnswer?.variant ?? call.status)).toEqual([
        "lost-answer",
        200,
      ]);
      const events = await billed(id);
      expect(events.map((event) => event.quantity)).toEqual([6, 7]);
      const rows = await hours(id);
      expect(rows.map((h) => [h.status, h.lastStatus, h.attempts, h.billedQuantity?.toString()])).toEqual([
        ["accepted", "Duplicate", 1, "6"],
        ["accepted", "Duplicate", 1, "7"],
      ]);
      expect(rows.map((h) => h.usageEventId).sort()).toEqual(events.map((e) => e.usageEventId).sort());
      expect(await db().auditEvent.count({ where: { subscriptionId: id, action: { startsWith: "usage_" } } })).toBe(0);
    } finally {
      await sandbox.variants([]);
    }
  });

  it("a re-send after the lease keeps the plan the first attempt carried, though our copy's plan changed meanwhile", async () => {
    const id = await activeSubscription();
    await report([record(id, 2, 4)]);
    const crashing: UsageSender = {
      batchUsageEvent: async (events, options) => {
        await marketplace().batchUsageEvent(events, options);
        throw new Error("the process died");
      },
    };
    await expect(submit({ sender: crashing })).rejects.toThrow("the process died");
    // A plan change reached our copy before the restart (a webhook).
    await db().subscription.update({ where: { id }, data: { planId: "enterprise-seats" } });
    const plans: string[] = [];
    const recording: UsageSender = {
      batchUsageEvent: async (events, options) => {
        plans.push(...events.map((event) => event.planId));
        return marketplace().batchUsageEvent(events, options);
      },
    };
    await submit({ sender: recording, now: new Date(Date.now() + 3 * 60_000) });
    expect(plans).toEqual(["basic"]);
    expect((await hours(id))[0]).toMatchObject({ status: "accepted", lastStatus: "Duplicate", planId: "basic" });
    expect(await billed(id)).toHaveLength(1);
  });

  it("each batch is sent with a deadline inside its lease, and a batch claimed late in a run gets a lease of its own", async () => {
    const first = await activeSubscription();
    const second = await activeSubscription();
    // 26 hours: a full batch of 25 and one more.
    await report([
      ...Array.from({ length: 13 }, (_, h) => record(first, h + 2, 1)),
      ...Array.from({ length: 13 }, (_, h) => record(second, h + 2, 1)),
    ]);
    const calls: Array<{ at: number; deadline: number | undefined; events: number }> = [];
    const slow: UsageSender = {
      batchUsageEvent: async (events, options) => {
        calls.push({ at: Date.now(), deadline: options?.deadline, events: events.length });
        // The first call takes a while: the second batch is claimed after it.
        if (calls.length === 1) await new Promise((resolve) => setTimeout(resolve, 800));
        return marketplace().batchUsageEvent(events, options);
      },
    };
    await submit({ sender: slow, concurrency: 1 });
    expect(calls.map((call) => call.events)).toEqual([25, 1]);
    for (const call of calls) {
      // The call must be over before the lease (counted from its claim) runs out, with the margin to spare.
      expect(call.deadline! - call.at).toBeLessThanOrEqual(SUBMIT_LEASE_MS - SUBMIT_LEASE_MARGIN_MS);
      expect(call.deadline! - call.at).toBeGreaterThan(SUBMIT_LEASE_MS - SUBMIT_LEASE_MARGIN_MS - 5_000);
    }
    // The lease of the hour claimed second starts when it was claimed, not when the run began.
    const claimed = [...(await hours(first)), ...(await hours(second))]
      .map((hour) => hour.submittedAt!.getTime())
      .sort((a, b) => a - b);
    expect(claimed.at(-1)! - claimed[0]!).toBeGreaterThanOrEqual(750);
    expect([...(await hours(first)), ...(await hours(second))].every((hour) => hour.status === "accepted")).toBe(true);
  });

  it("a crash after claiming, before the call: the restart sends the hours", async () => {
    const id = await activeSubscription();
    await report([record(id, 2, 1)]);
    const dying: UsageSender = {
      batchUsageEvent: async () => {
        throw new Error("killed before the call");
      },
    };
    await expect(submit({ sender: dying })).rejects.toThrow("killed");
    expect(await billed(id)).toHaveLength(0);
    await submit({ now: new Date(Date.now() + 3 * 60_000) });
    expect((await hours(id))[0]).toMatchObject({ status: "accepted", lastStatus: "Accepted", attempts: 2 });
    expect(await billed(id)).toHaveLength(1);
  });

  it("catches up after downtime: every missed hour inside the window in one run, oldest first; what is past 24 h expires without a call", async () => {
    const id = await activeSubscription();
    await report([2, 3, 4, 5, 6, 8, 12, 20].map((h) => record(id, h, h)));
    // Usage accepted before the portal went down for a day.
    await db().usageRecord.create({
      data: {
        apiKeyId: apiKey.id,
        idempotencyKey: randomUUID(),
        requestHash: "x",
        subscriptionId: id,
        dimension: "reports",
        quantity: 9,
        effectiveAt: inHour(25),
        hourStart: hourOf(25),
        planId: "basic",
      },
    });
    const started = new Date();
    const summary = await submit({ trigger: "schedule" });
    expect(summary.expired).toBe(1);
    const events = await billed(id);
    expect(events.map((e) => e.quantity)).toEqual([20, 12, 8, 6, 5, 4, 3, 2]);
    expect((await usageCalls(started)).length).toBe(1);
    const expired = (await hours(id)).find((h) => h.status === "expired");
    expect(expired).toMatchObject({ hourStart: hourOf(25), lastError: expect.stringContaining("24-hour window") });
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "usage_expired" } })).toBe(1);
  });

  it("Microsoft answers Expired: the hour is lost, recorded as expired with an alert, and not retried", async () => {
    const id = await activeSubscription();
    await report([record(id, 2, 3)]);
    await sandbox.addFault({
      pathPattern: "/api/batchUsageEvent",
      status: 200,
      times: 1,
      body: {
        count: 1,
        result: [
          {
            status: "Expired",
            messageTime: new Date().toISOString(),
            resourceId: id,
            quantity: 3,
            dimension: "reports",
            effectiveStartTime: hourOf(2).toISOString(),
            planId: "basic",
            error: { code: "Expired", message: "The usage event is older than 24 hours." },
          },
        ],
      },
    });
    await submit();
    expect((await hours(id))[0]).toMatchObject({ status: "expired", lastStatus: "Expired" });
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "usage_expired" } })).toBe(1);
    await submit({ now: new Date(Date.now() + 3_600_000) });
    expect(await billed(id)).toHaveLength(0);
  });

  it("409: an hour Microsoft already billed with another quantity is 'already billed' with Microsoft's event id, flagged for a human", async () => {
    const id = await activeSubscription();
    const earlier = await marketplace().usageEvent({
      resourceId: id,
      quantity: 1,
      dimension: "reports",
      effectiveStartTime: hourOf(2),
      planId: "basic",
    });
    if (earlier.outcome !== "accepted") throw new Error("pre-billing failed");
    // The single-event 409 names the event Microsoft already has for that hour.
    expect(
      await marketplace().usageEvent({
        resourceId: id,
        quantity: 3,
        dimension: "reports",
        effectiveStartTime: hourOf(2),
        planId: "basic",
      }),
    ).toMatchObject({
      outcome: "duplicate",
      accepted: { usageEventId: earlier.event.usageEventId, quantity: 1 },
    });

    await report([record(id, 2, 5)]);
    await submit();
    expect((await hours(id))[0]).toMatchObject({
      status: "duplicate",
      usageEventId: earlier.event.usageEventId,
      quantityMismatch: true,
      lastError: expect.stringContaining("already billed 1"),
    });
    expect((await hours(id))[0]?.billedQuantity?.toString()).toBe("1");
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "usage_quantity_mismatch" } })).toBe(1);
    expect(await billed(id)).toHaveLength(1);
  });

  it("429: retried inside the call; when throttling lasts, the hour waits with backoff and is billed once later", async () => {
    const id = await activeSubscription();
    await report([record(id, 2, 1)]);
    let since = new Date();
    await sandbox.addFault({ pathPattern: "/api/batchUsageEvent", status: 429, retryAfterSeconds: 0, times: 1 });
    await submit();
    expect((await hours(id))[0]).toMatchObject({ status: "accepted", attempts: 1 });
    expect((await usageCalls(since)).map((call) => call.status)).toEqual([429, 200]);

    const other = await activeSubscription();
    await report([record(other, 2, 1)]);
    since = new Date();
    await sandbox.addFault({ pathPattern: "/api/batchUsageEvent", status: 429, retryAfterSeconds: 0, times: 3 });
    const throttled = await submit({ trigger: "schedule" });
    const waiting = (await hours(other))[0];
    expect(waiting).toMatchObject({ status: "pending", lastStatus: "HTTP 429" });
    expect(waiting?.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now());
    expect(throttled.nextRunAt).not.toBeNull();
    expect(
      (await jobsOf(submitUsageJob, { states: ["created"], data: { field: "trigger", equals: "retry" } })).length,
    ).toBe(1);

    expect((await submit({ trigger: "retry" })).sent).toBe(0); // not due yet
    await submit({ trigger: "retry", now: new Date(waiting!.nextAttemptAt!.getTime() + 1000) });
    expect((await hours(other))[0]).toMatchObject({ status: "accepted", attempts: 2 });
    expect(await billed(other)).toHaveLength(1);
    expect((await usageCalls(since)).map((call) => call.status)).toEqual([429, 429, 429, 200]);
  });

  it("a batch refused as a whole (400) is sent event by event", async () => {
    const id = await activeSubscription();
    await report([record(id, 2, 1), record(id, 3, 2)]);
    const since = new Date();
    await sandbox.addFault({ pathPattern: "/api/batchUsageEvent", status: 400, times: 1 });
    await submit();
    expect((await hours(id)).map((h) => h.status)).toEqual(["accepted", "accepted"]);
    expect((await usageCalls(since)).map((call) => call.status)).toEqual([400, 200, 200]);
  });

  it("a split batch whose time runs out: the unsent events wait the usual retry delay, are not sent again by the same run, and a later run bills them once", async () => {
    const id = await activeSubscription();
    await report([record(id, 4, 4), record(id, 3, 3), record(id, 2, 2)]);
    const since = new Date();
    await sandbox.addFault({ pathPattern: "/api/batchUsageEvent", status: 400, times: 1 });
    // The batch's calls must end SUBMIT_LEASE_MS - SUBMIT_LEASE_MARGIN_MS after its claim (105 s): the
    // answer to the first event sent alone comes back, and the clock the deadline is read from is then
    // moved on by that whole time, as if Microsoft had taken it to answer.
    const realNow = Date.now.bind(Date);
    let elapsed = 0;
    const clock = vi.spyOn(Date, "now").mockImplementation(() => realNow() + elapsed);
    const sent: Array<{ events: string[]; deadline: number | undefined }> = [];
    const slowSingleAnswer: UsageSender = {
      batchUsageEvent: async (events, options) => {
        sent.push({ events: events.map((e) => e.effectiveStartTime.toISOString()), deadline: options?.deadline });
        const answer = await marketplace().batchUsageEvent(events, options);
        if (events.length === 1) elapsed += SUBMIT_LEASE_MS - SUBMIT_LEASE_MARGIN_MS;
        return answer;
      },
    };
    const runAt = new Date();
    let first: Awaited<ReturnType<typeof submitUsage>>;
    try {
      first = await submitUsage({ trigger: "schedule", now: runAt, sender: slowSingleAnswer });
    } finally {
      clock.mockRestore();
    }

    // The batch was refused, its oldest event went alone, and then the time was up: nothing more was
    // sent in this run — in particular not the two unsent hours, claimed straight back.
    expect(sent.map((call) => call.events)).toEqual([
      [hourOf(4), hourOf(3), hourOf(2)].map((h) => h.toISOString()),
      [hourOf(4).toISOString()],
    ]);
    expect(sent[1]!.deadline).toBe(sent[0]!.deadline);
    // The run's summary counts what went to Microsoft, not the hours the time ran out for.
    expect(first.sent).toBe(1);
    const calls = await usageCalls(since);
    expect(calls.map((call) => call.status)).toEqual([400, 200]);
    expect(new Set(calls.map((call) => call.correlationId)).size).toBe(1);
    let rows = await hours(id);
    expect(rows.map((h) => [h.status, h.lastStatus, h.attempts])).toEqual([
      ["accepted", "Accepted", 1],
      ["pending", "NotSent", 1],
      ["pending", "NotSent", 1],
    ]);
    // Back to pending with the usual retry delay of a first attempt (1 min, with jitter down to half),
    // counted from the run's time: not due again at once.
    for (const row of rows.slice(1)) {
      expect(row.lastError).toMatch(/refused and split/);
      expect(row.nextAttemptAt!.getTime() - runAt.getTime()).toBeGreaterThanOrEqual(RETRY_BASE_MS / 2);
      expect(row.nextAttemptAt!.getTime() - runAt.getTime()).toBeLessThanOrEqual(RETRY_BASE_MS);
    }
    expect(first.nextRunAt).not.toBeNull();
    expect(
      (await jobsOf(submitUsageJob, { states: ["created"], data: { field: "trigger", equals: "retry" } })).length,
    ).toBe(1);
    expect((await billed(id)).map((e) => e.hourStart)).toEqual([hourOf(4).toISOString()]);

    // A run before their retry time sends nothing; the run after it sends both, once, in one batch.
    const early = new Date();
    expect((await submit({ trigger: "retry" })).sent).toBe(0);
    expect(await usageCalls(early)).toEqual([]);
    const due = Math.max(...rows.slice(1).map((row) => row.nextAttemptAt!.getTime()));
    const later = new Date();
    await submit({ trigger: "retry", now: new Date(due + 1000) });
    expect((await usageCalls(later)).map((call) => call.status)).toEqual([200]);
    rows = await hours(id);
    expect(rows.map((h) => [h.status, h.lastStatus, h.attempts])).toEqual([
      ["accepted", "Accepted", 1],
      ["accepted", "Accepted", 2],
      ["accepted", "Accepted", 2],
    ]);

    // Each hour billed once, with its own quantity, and the event ids are Microsoft's.
    const events = await billed(id);
    expect(events.map((e) => `${e.hourStart} ${e.quantity}`)).toEqual([
      `${hourOf(4).toISOString()} 4`,
      `${hourOf(3).toISOString()} 3`,
      `${hourOf(2).toISOString()} 2`,
    ]);
    expect(rows.map((h) => h.usageEventId)).toEqual(events.map((e) => e.usageEventId));
    const done = new Date();
    expect((await submit({ now: new Date(due + 60 * 60_000) })).sent).toBe(0);
    expect(await usageCalls(done)).toEqual([]);
  });

  it("ResourceNotActive: held while Microsoft has the subscription suspended, billed after reinstatement", async () => {
    const id = await activeSubscription();
    await report([record(id, 2, 4)]);
    await sandbox.act(id, "Suspend", { deliver: "drop" }); // our copy still says Subscribed
    const first = await submit();
    expect(first.batches).toBe(1);
    const held = (await hours(id))[0];
    expect(held).toMatchObject({ status: "held", lastStatus: "ResourceNotActive" });
    await sandbox.act(id, "Reinstate", { deliver: "drop" });
    await submit({ trigger: "retry", now: new Date(held!.nextAttemptAt!.getTime() + 1000) });
    expect((await hours(id))[0]).toMatchObject({ status: "accepted" });
    expect(await billed(id)).toHaveLength(1);
  });

  it("after a cancellation, usage from before it is still accepted and billed; usage from after it is refused", async () => {
    const id = await activeSubscription();
    await report([record(id, 2, 3)]);
    await sandbox.act(id, "Unsubscribe", { deliver: "drop" });
    const snapshot = await readSubscription(id);
    await db().$transaction((tx) =>
      syncSubscription(tx, { snapshot, actor: { actorType: "system" }, reason: "test: cancellation learnt" }),
    );
    const { unsubscribedAt } = await db().subscription.findUniqueOrThrow({ where: { id } });
    expect(unsubscribedAt).not.toBeNull();

    const late = await report([record(id, 1, 2), record(id, 0, 1, { effectiveAt: new Date().toISOString() })]);
    expect(late.body.results.map((result) => (result.status === "accepted" ? "accepted" : result.error?.code))).toEqual(
      ["accepted", "subscription_not_active"],
    );
    expect(late.body.results[1]).toMatchObject({
      status: "refused",
      error: { message: expect.stringContaining("was cancelled at") },
    });

    await submit();
    expect((await billed(id)).map((e) => `${e.hourStart} ${e.quantity}`)).toEqual([
      `${hourOf(2).toISOString()} 3`,
      `${hourOf(1).toISOString()} 2`,
    ]);
    expect((await hours(id)).map((h) => h.status)).toEqual(["accepted", "accepted"]);
  });

  it("warns once when usage is still unbilled close to the end of the 24-hour window", async () => {
    const id = await activeSubscription();
    await report([record(id, 21, 2)]);
    await sandbox.addFault({ pathPattern: "/api/batchUsageEvent", status: 503, times: 6 });
    await submit();
    const hour = (await hours(id))[0];
    expect(hour).toMatchObject({ status: "pending", expiryWarnedAt: expect.any(Date) });
    await submit({ now: new Date(hour!.nextAttemptAt!.getTime() + 1000) });
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "usage_expiry_warning" } })).toBe(1);
  });

  it("two runs at once (two portal instances) send each hour once", async () => {
    const ids = await Promise.all([activeSubscription(), activeSubscription()]);
    await report(ids.flatMap((id) => [1, 2, 3, 4, 5, 6].map((h) => record(id, h, h))));
    const results = await Promise.all([submit({ concurrency: 3 }), submit({ concurrency: 3 })]);
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(12);
    for (const id of ids) {
      expect(await billed(id)).toHaveLength(6);
      expect((await hours(id)).every((h) => h.status === "accepted" && h.lastStatus === "Accepted")).toBe(true);
    }
  });

  it("runs as a background job: 'submit now' is picked up by the worker", async () => {
    const id = await activeSubscription();
    await report([record(id, 1, 2)]);
    const worker = await startJobWorkers();
    try {
      await requestUsageSubmission({ trigger: "manual" });
      await until(
        () => hours(id),
        (rows) => rows[0]?.status === "accepted",
        "the hour billed by the worker",
      );
    } finally {
      await worker.stop();
    }
    expect(await billed(id)).toHaveLength(1);
  });
});
