import { appendFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buy, buyActive, startEmulator, tempDataDir, type RunningEmulator } from "./test-harness";
import { USAGE_LEDGER_FILE_NAME } from "./usage-ledger";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const hoursAgo = (hours: number, minutes = 0) =>
  new Date(Date.now() - hours * 3_600_000 - minutes * 60_000).toISOString();
const event = (resourceId: string, overrides: Record<string, unknown> = {}) => ({
  resourceId,
  quantity: 3,
  dimension: "reports",
  effectiveStartTime: hoursAgo(2),
  planId: "basic",
  ...overrides,
});

interface BatchItem {
  status: string;
  usageEventId?: string;
  messageTime?: string;
  error?: {
    code?: string;
    message?: string;
    additionalInfo?: { acceptedMessage?: { usageEventId: string; quantity: number } };
  };
}

describe("POST /api/usageEvent (marketplace-contract.md §9.2)", () => {
  it("requires the bearer token and api-version, like the Fulfillment API", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    expect((await emu.api("POST", "/api/usageEvent", { body: event(id), token: null })).status).toBe(403);
    expect(
      (
        await emu.api("POST", "/api/usageEvent", {
          body: event(id),
          token: await emu.publisherToken({ audience: "f0f00000-0000-4000-8000-00000000f001" }),
        })
      ).status,
    ).toBe(403);
    expect((await emu.api("POST", "/api/usageEvent", { body: event(id), apiVersion: null })).status).toBe(400);
  });

  it("accepts one event per resource, dimension and hour; a second answers 409 with the accepted one", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const first = await emu.api("POST", "/api/usageEvent", { body: event(id, { effectiveStartTime: hoursAgo(3) }) });
    expect(first.status).toBe(200);
    const accepted = first.json<{ usageEventId: string; status: string; quantity: number; resourceId: string }>();
    expect(accepted).toMatchObject({ status: "Accepted", quantity: 3, resourceId: id });
    expect(accepted.usageEventId).toMatch(/^[0-9a-f-]{36}$/);

    const again = await emu.api("POST", "/api/usageEvent", {
      body: event(id, { effectiveStartTime: hoursAgo(3), quantity: 8 }),
    });
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({
      code: "Conflict",
      additionalInfo: { acceptedMessage: { usageEventId: accepted.usageEventId, quantity: 3 } },
    });
  });

  it("400 with the metering error shape for expired, invalid or inactive usage", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const expired = await emu.api("POST", "/api/usageEvent", { body: event(id, { effectiveStartTime: hoursAgo(25) }) });
    expect(expired.status).toBe(400);
    expect(expired.json()).toMatchObject({
      code: "BadArgument",
      details: [{ code: "Expired", target: "effectiveStartTime" }],
    });
    const pending = (await buy(emu, { offerId: "contoso-analytics", planId: "basic" })).subscriptionId;
    const inactive = await emu.api("POST", "/api/usageEvent", { body: event(pending) });
    expect(inactive.json()).toMatchObject({ details: [{ code: "ResourceNotActive" }] });
    expect((await emu.api("POST", "/api/usageEvent", { body: "not json" })).status).toBe(400);
  });
});

describe("POST /api/batchUsageEvent (§9.3)", () => {
  it("answers each item with its own status", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const pending = (await buy(emu, { offerId: "contoso-backup", planId: "standard" })).subscriptionId;
    const base = { dimension: "storage-gb", planId: "standard" };
    const reply = await emu.api("POST", "/api/batchUsageEvent", {
      body: {
        request: [
          event(id, { ...base, effectiveStartTime: hoursAgo(1, 10) }),
          event(id, { ...base, effectiveStartTime: hoursAgo(1, 10), quantity: 7 }),
          event(id, { ...base, dimension: "restores", effectiveStartTime: hoursAgo(1, 10) }),
          event(id, { ...base, effectiveStartTime: hoursAgo(30) }),
          event(id, { ...base, dimension: "reports" }),
          event(id, { ...base, quantity: 0 }),
          event(pending, base),
          event("0f0c0000-0000-4000-8000-0000000000ff", base),
        ],
      },
    });
    expect(reply.status).toBe(200);
    const body = reply.json<{ count: number; result: BatchItem[] }>();
    expect(body.count).toBe(8);
    expect(body.result.map((item) => item.status)).toEqual([
      "Accepted",
      "Duplicate",
      "Accepted",
      "Expired",
      "InvalidDimension",
      "InvalidQuantity",
      "ResourceNotActive",
      "ResourceNotFound",
    ]);
    const [accepted, duplicate] = body.result;
    expect(duplicate?.messageTime).toBe("0001-01-01T00:00:00");
    expect(duplicate?.error?.additionalInfo?.acceptedMessage).toMatchObject({
      usageEventId: accepted?.usageEventId,
      quantity: 3,
    });

    const events = (await emu.request("GET", `/sandbox-api/usage-events?subscriptionId=${id}`)).json<{
      events: Array<{ dimension: string; quantity: number }>;
    }>().events;
    expect(events.map((e) => `${e.dimension}=${e.quantity}`).sort()).toEqual(["restores=3", "storage-gb=3"]);
  });

  it("variant lost-answer: a batch that bills is processed and its answer lost; the repeat gets its Duplicates", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const batch = { request: [event(id, { effectiveStartTime: hoursAgo(4) })] };
    await emu.request("POST", "/sandbox-api/variants", { body: { enabled: ["lost-answer"] } });
    try {
      await expect(emu.api("POST", "/api/batchUsageEvent", { body: batch })).rejects.toThrow(
        /socket hang up|ECONNRESET/,
      );
      const repeat = await emu.api("POST", "/api/batchUsageEvent", { body: batch });
      expect(repeat.status).toBe(200);
      const [item] = repeat.json<{ result: BatchItem[] }>().result;
      expect(item).toMatchObject({
        status: "Duplicate",
        error: { additionalInfo: { acceptedMessage: { quantity: 3 } } },
      });
      const events = (await emu.request("GET", `/sandbox-api/usage-events?subscriptionId=${id}`)).json<{
        events: unknown[];
      }>().events;
      expect(events).toHaveLength(1);
    } finally {
      await emu.request("POST", "/sandbox-api/variants", { body: { enabled: [] } });
    }
  });

  it("refuses more than 25 events and an empty batch with 400", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const many = Array.from({ length: 26 }, (_, i) => event(id, { effectiveStartTime: hoursAgo(i % 20) }));
    const tooMany = await emu.api("POST", "/api/batchUsageEvent", { body: { request: many } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json<{ message: string }>().message).toMatch(/more than 25/);
    expect((await emu.api("POST", "/api/batchUsageEvent", { body: { request: [] } })).status).toBe(400);
    expect((await emu.api("POST", "/api/batchUsageEvent", { body: [event(id)] })).status).toBe(400);
    expect(
      (await emu.request("GET", `/sandbox-api/usage-events?subscriptionId=${id}`)).json<{ events: unknown[] }>().events,
    ).toEqual([]);
  });
});

describe("GET /api/usageEvents (§9.5)", () => {
  it("requires usageStartDate and sums per day, resource and dimension", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const hours = [2, 3].map((h) => event(id, { effectiveStartTime: hoursAgo(h), quantity: h }));
    expect((await emu.api("POST", "/api/batchUsageEvent", { body: { request: hours } })).status).toBe(200);
    expect((await emu.api("GET", "/api/usageEvents")).status).toBe(400);
    const reply = await emu.api(
      "GET",
      `/api/usageEvents?usageStartDate=${encodeURIComponent(hoursAgo(48).slice(0, 10))}&dimension=reports`,
    );
    expect(reply.status).toBe(200);
    const rows = reply
      .json<
        Array<{
          usageResourceId: string;
          submittedQuantity: number;
          submittedCount: number;
          reconStatus: string;
          offerName: string;
        }>
      >()
      .filter((row) => row.usageResourceId === id);
    expect(rows.reduce((sum, row) => sum + row.submittedQuantity, 0)).toBe(5);
    expect(rows.reduce((sum, row) => sum + row.submittedCount, 0)).toBe(2);
    expect(rows[0]).toMatchObject({ reconStatus: "Accepted", offerName: "Contoso Analytics" });
  });
});

interface UsageRow {
  usageDate: string;
  usageResourceId: string;
  dimension: string;
  reconStatus: string;
  submittedQuantity: number;
  processedQuantity: number;
  submittedCount: number;
}
const hourOf = (iso: string) => `${iso.slice(0, 13)}:00:00Z`;
const dayOf = (iso: string) => `${iso.slice(0, 10)}T00:00:00Z`;
async function usageRows(resourceId: string, query = ""): Promise<UsageRow[]> {
  const start = encodeURIComponent(hoursAgo(48).slice(0, 10));
  const reply = await emu.api("GET", `/api/usageEvents?usageStartDate=${start}${query}`);
  expect(reply.status).toBe(200);
  return reply
    .json<UsageRow[]>()
    .filter((row) => row.usageResourceId === resourceId)
    .sort((a, b) => a.usageDate.localeCompare(b.usageDate) || a.dimension.localeCompare(b.dimension));
}

describe("/sandbox-api/usage-reconciliation: what GET /usageEvents reconciles (§9.5)", () => {
  it("sets a Rejected hour and a Mismatch with another processed quantity, lists and clears them", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const at = hoursAgo(2);
    const base = { dimension: "storage-gb", planId: "standard", effectiveStartTime: at };
    const sent = await emu.api("POST", "/api/batchUsageEvent", {
      body: {
        request: [event(id, { ...base, quantity: 4 }), event(id, { ...base, dimension: "restores", quantity: 6 })],
      },
    });
    expect(sent.json<{ result: BatchItem[] }>().result.map((item) => item.status)).toEqual(["Accepted", "Accepted"]);

    const rejected = await emu.request("POST", "/sandbox-api/usage-reconciliation", {
      body: { subscriptionId: id.toUpperCase(), dimension: "storage-gb", hour: at, reconStatus: "Rejected" },
    });
    expect(rejected.status).toBe(201);
    expect(rejected.json()).toMatchObject({
      subscriptionId: id,
      period: "hour",
      periodStart: new Date(hourOf(at)).toISOString(),
      reconStatus: "Rejected",
      processedQuantity: null,
    });
    const day = at.slice(0, 10);
    expect(
      (
        await emu.request("POST", "/sandbox-api/usage-reconciliation", {
          body: { subscriptionId: id, dimension: "restores", day, reconStatus: "Mismatch", processedQuantity: 5 },
        })
      ).status,
    ).toBe(201);

    expect(
      (await usageRows(id)).map((r) => [r.dimension, r.reconStatus, r.submittedQuantity, r.processedQuantity]),
    ).toEqual([
      ["restores", "Mismatch", 6, 5],
      ["storage-gb", "Rejected", 4, 0],
    ]);
    expect((await usageRows(id, "&reconStatus=rejected")).map((r) => r.dimension)).toEqual(["storage-gb"]);
    expect(await usageRows(id, "&reconStatus=Accepted")).toEqual([]);

    const listed = await emu.request("GET", `/sandbox-api/usage-reconciliation?subscriptionId=${id}`);
    expect(
      listed.json<{ reconciliations: Array<{ dimension: string }> }>().reconciliations.map((r) => r.dimension),
    ).toEqual(expect.arrayContaining(["storage-gb", "restores"]));
    const cleared = await emu.request("DELETE", `/sandbox-api/usage-reconciliation?subscriptionId=${id}`);
    expect(cleared.json()).toEqual({ cleared: 2 });
    expect((await usageRows(id)).map((r) => `${r.dimension} ${r.reconStatus} ${r.processedQuantity}`)).toEqual([
      "restores Accepted 6",
      "storage-gb Accepted 4",
    ]);
  });

  it("refuses bad input with 400 and the reason, and stores nothing", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const base = { subscriptionId: id, dimension: "reports", reconStatus: "Rejected" };
    for (const body of [
      base,
      { ...base, hour: hoursAgo(1), day: hoursAgo(1).slice(0, 10) },
      { ...base, hour: "not a time" },
      { ...base, hour: hoursAgo(1), processedQuantity: -2 },
      { ...base, hour: hoursAgo(1), subscriptionId: "nope" },
      "not json",
    ]) {
      const reply = await emu.request("POST", "/sandbox-api/usage-reconciliation", { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json<{ error: { message: string } }>().error.message).toMatch(/JSON|Invalid request body/);
    }
    expect((await emu.request("GET", "/sandbox-api/usage-reconciliation?subscriptionId=nope")).status).toBe(400);
    expect(
      (await emu.request("GET", `/sandbox-api/usage-reconciliation?subscriptionId=${id}`)).json<{
        reconciliations: unknown[];
      }>().reconciliations,
    ).toEqual([]);
  });

  it("variant hourly-usage-events: one row per UTC hour, each with its own status", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const times = [hoursAgo(3), hoursAgo(2), hoursAgo(1)];
    const sent = await emu.api("POST", "/api/batchUsageEvent", {
      body: { request: times.map((t, i) => event(id, { effectiveStartTime: t, quantity: i + 1 })) },
    });
    expect(sent.status).toBe(200);
    await emu.request("POST", "/sandbox-api/usage-reconciliation", {
      body: { subscriptionId: id, dimension: "reports", hour: times[1], reconStatus: "Pondering" },
    });
    try {
      expect(
        (await emu.request("POST", "/sandbox-api/variants", { body: { enabled: ["hourly-usage-events"] } })).status,
      ).toBe(200);
      const hourly = await usageRows(id);
      expect(hourly.map((r) => [r.usageDate, r.reconStatus, r.submittedQuantity, r.submittedCount])).toEqual(
        times.map((t, i) => [hourOf(t), i === 1 ? "Pondering" : "Accepted", i + 1, 1]),
      );
    } finally {
      await emu.request("POST", "/sandbox-api/variants", { body: { enabled: [] } });
    }
    // Back to days: the hours of each UTC day in one row, the unknown status carried to it.
    const daily = await usageRows(id);
    const days = [...new Set(times.map(dayOf))];
    expect(daily.map((r) => r.usageDate)).toEqual(days);
    expect(daily.reduce((sum, r) => sum + r.submittedCount, 0)).toBe(3);
    expect(daily.find((r) => r.usageDate === dayOf(times[1] ?? ""))?.reconStatus).toBe("Pondering");
  });
});

describe("persistence", () => {
  it("keeps accepted events across a restart and skips a line cut short by a crash", async () => {
    const dataDir = tempDataDir();
    const first = await startEmulator({ dataDir });
    const id = await buyActive(first, { offerId: "contoso-analytics", planId: "basic" });
    expect((await first.api("POST", "/api/usageEvent", { body: event(id) })).status).toBe(200);
    await first.close();
    appendFileSync(path.join(dataDir, USAGE_LEDGER_FILE_NAME), '{"usageEventId":"torn');

    const second = await startEmulator({ dataDir });
    try {
      expect((await second.api("POST", "/api/usageEvent", { body: event(id, { quantity: 4 }) })).status).toBe(409);
      expect(
        (await second.request("GET", `/sandbox-api/usage-events?subscriptionId=${id}`)).json<{ events: unknown[] }>()
          .events,
      ).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
