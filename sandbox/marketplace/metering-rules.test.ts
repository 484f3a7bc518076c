import { describe, expect, it } from "vitest";
import {
  hourStartOf,
  judgeUsageEvent,
  parseEventTime,
  type UsageRuleContext,
  type UsageEventEcho,
} from "./metering-rules";
import type { StoredSubscription } from "./model";
import { catalog } from "./test-harness";
import type { StoredUsageEvent } from "./usage-ledger";

const now = new Date("2026-11-25T12:30:00Z");
const id = "0f0c0000-0000-4000-8000-000000000001";
const subscription = { id, offerId: "contoso-analytics", planId: "basic", status: "Subscribed" } as StoredSubscription;
const accepted: StoredUsageEvent[] = [];

function context(overrides: Partial<StoredSubscription> = {}): UsageRuleContext {
  return {
    now,
    via: "batchUsageEvent",
    catalog,
    findSubscription: (wanted) => (wanted.toLowerCase() === id ? { ...subscription, ...overrides } : undefined),
    findAccepted: (resourceId, dimension, hourStart) =>
      accepted.find((e) => e.resourceId === resourceId && e.dimension === dimension && e.hourStart === hourStart),
  };
}

const event = (overrides: UsageEventEcho = {}): UsageEventEcho => ({
  resourceId: id,
  quantity: 5,
  dimension: "reports",
  effectiveStartTime: "2026-11-25T11:15:00Z",
  planId: "basic",
  ...overrides,
});

describe("judgeUsageEvent (marketplace-contract.md §9.1–9.4)", () => {
  it("accepts a valid event and files it under its UTC clock hour", () => {
    const verdict = judgeUsageEvent(event({ effectiveStartTime: "2026-11-25T16:45:00+05:30" }), context());
    expect(verdict).toMatchObject({
      status: "Accepted",
      event: { hourStart: "2026-11-25T11:00:00.000Z", quantity: 5, offerId: "contoso-analytics" },
    });
  });

  it("answers Duplicate with the accepted event for a second event in the same hour, whatever its quantity", () => {
    const first = judgeUsageEvent(event(), context());
    if (first.status !== "Accepted") throw new Error("expected Accepted");
    accepted.push(first.event);
    const second = judgeUsageEvent(event({ quantity: 9, effectiveStartTime: "2026-11-25T11:59:59Z" }), context());
    expect(second).toMatchObject({
      status: "Duplicate",
      accepted: { usageEventId: first.event.usageEventId, quantity: 5 },
    });
    expect(judgeUsageEvent(event({ effectiveStartTime: "2026-11-25T12:00:00Z" }), context()).status).toBe("Accepted");
    accepted.length = 0;
  });

  it.each([
    ["exactly 24 h old", "2026-11-24T12:30:00Z", "Accepted"],
    ["24 h and 1 s old", "2026-11-24T12:29:59Z", "Expired"],
    ["5 min in the future", "2026-11-25T12:35:00Z", "Accepted"],
    ["6 min in the future", "2026-11-25T12:36:00Z", "BadArgument"],
  ])("time window: %s → %s", (_name, time, status) => {
    expect(judgeUsageEvent(event({ effectiveStartTime: time }), context()).status).toBe(status);
  });

  it.each([
    [{ quantity: 0 }, "InvalidQuantity"],
    [{ quantity: -1 }, "InvalidQuantity"],
    [{ quantity: "5" }, "BadArgument"],
    [{ resourceId: "not-a-guid" }, "BadArgument"],
    [{ resourceId: "0f0c0000-0000-4000-8000-0000000000ff" }, "ResourceNotFound"],
    [{ dimension: "storage-gb" }, "InvalidDimension"],
    [{ planId: "premium" }, "BadArgument"],
    [{ effectiveStartTime: "yesterday" }, "BadArgument"],
    [{ resourceUri: "/subscriptions/x" }, "BadArgument"],
  ] as const)("%j → %s", (overrides, status) => {
    expect(judgeUsageEvent(event(overrides), context()).status).toBe(status);
  });

  it("ResourceNotActive unless Subscribed (and not still activating)", () => {
    expect(judgeUsageEvent(event(), context({ status: "Suspended" })).status).toBe("ResourceNotActive");
    expect(judgeUsageEvent(event(), context({ status: "PendingFulfillmentStart" })).status).toBe("ResourceNotActive");
    expect(judgeUsageEvent(event(), context({ activationDueAt: "2026-11-25T13:00:00Z" })).status).toBe(
      "ResourceNotActive",
    );
  });

  it("after a cancellation, accepts usage from before it (inside 24 h) and refuses usage from after it", () => {
    const cancelled = context({ status: "Unsubscribed", unsubscribedAt: "2026-11-25T11:40:00Z" });
    expect(judgeUsageEvent(event({ effectiveStartTime: "2026-11-25T11:00:00Z" }), cancelled).status).toBe("Accepted");
    expect(judgeUsageEvent(event({ effectiveStartTime: "2026-11-25T11:40:00Z" }), cancelled).status).toBe(
      "ResourceNotActive",
    );
    expect(judgeUsageEvent(event({ effectiveStartTime: "2026-11-25T12:00:00Z" }), cancelled).status).toBe(
      "ResourceNotActive",
    );
    expect(judgeUsageEvent(event({ effectiveStartTime: "2026-11-24T11:00:00Z" }), cancelled).status).toBe("Expired");
    expect(judgeUsageEvent(event(), context({ status: "Unsubscribed" })).status).toBe("ResourceNotActive"); // cancellation time unknown
  });
});

describe("times", () => {
  it("truncates to the UTC hour", () => {
    expect(hourStartOf(new Date("2026-11-25T23:59:59.999Z"))).toBe("2026-11-25T23:00:00.000Z");
    expect(hourStartOf(new Date("2026-11-26T00:00:00.000Z"))).toBe("2026-11-26T00:00:00.000Z");
  });

  it("reads the documented forms; a time without an offset is UTC", () => {
    expect(parseEventTime("2020-12-03")?.toISOString()).toBe("2020-12-03T00:00:00.000Z");
    expect(parseEventTime("2020-12-03T15:00")?.toISOString()).toBe("2020-12-03T15:00:00.000Z");
    expect(parseEventTime("2020-12-03T15:00:00-02:00")?.toISOString()).toBe("2020-12-03T17:00:00.000Z");
    expect(parseEventTime("03/12/2020")).toBeUndefined();
  });
});
