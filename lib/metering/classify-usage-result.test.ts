import { describe, expect, it } from "vitest";
import { MarketplaceError, type MarketplaceErrorKind } from "../marketplace/errors";
import type { BatchUsageEventItem } from "../marketplace/schemas";
import {
  classifyBatchFailure,
  classifyUsageItem,
  HELD_RETRY_MS,
  retryDelayMs,
  RETRY_MAX_MS,
  type ClaimedHour,
} from "./classify-usage-result";

const now = new Date("2026-11-25T12:05:00Z");
const hour = (overrides: Partial<ClaimedHour> = {}): ClaimedHour => ({
  id: 1n,
  subscriptionId: "0f0c0000-0000-4000-8000-000000000001",
  dimension: "reports",
  hourStart: new Date("2026-11-25T11:00:00Z"),
  quantity: "7.5",
  planId: "basic",
  attempts: 1,
  ...overrides,
});
const item = (status: string, overrides: Partial<BatchUsageEventItem> = {}): BatchUsageEventItem => ({
  status,
  resourceId: hour().subscriptionId,
  dimension: "reports",
  quantity: 7.5,
  ...overrides,
});
const duplicateOf = (quantity: number, usageEventId = "e0000000-0000-4000-8000-000000000001") =>
  item("Duplicate", {
    error: {
      code: "Conflict",
      message: "This usage event already exist.",
      additionalInfo: { acceptedMessage: { usageEventId, status: "Accepted", quantity } },
    },
  });

describe("classifyUsageItem (marketplace-contract.md §9.4)", () => {
  it("Accepted: billed, with Microsoft's event id", () => {
    expect(classifyUsageItem(hour(), item("Accepted", { usageEventId: "e1" }), now)).toMatchObject({
      status: "accepted",
      usageEventId: "e1",
      billedQuantity: "7.5",
      resolvedAt: now,
    });
  });

  it("Duplicate with our quantity after an earlier call of ours (crash, timeout): billed", () => {
    expect(classifyUsageItem(hour({ attempts: 2 }), duplicateOf(7.5), now)).toMatchObject({
      status: "accepted",
      lastStatus: "Duplicate",
      usageEventId: "e0000000-0000-4000-8000-000000000001",
      quantityMismatch: false,
    });
  });

  it("Duplicate on the first call: already billed (someone else sent this hour), no alert when the quantity matches", () => {
    const outcome = classifyUsageItem(hour(), duplicateOf(7.5), now);
    expect(outcome).toMatchObject({ status: "duplicate", billedQuantity: "7.5", quantityMismatch: false });
    expect(outcome.alert).toBeUndefined();
  });

  it("Duplicate with our quantity on a first claim whose call the client itself had to send again: our own event, billed", () => {
    expect(classifyUsageItem(hour(), duplicateOf(7.5), now, { repeated: true })).toMatchObject({
      status: "accepted",
      lastStatus: "Duplicate",
      billedQuantity: "7.5",
      quantityMismatch: false,
    });
    // Another quantity is still someone else's event, whatever we sent.
    expect(classifyUsageItem(hour(), duplicateOf(2), now, { repeated: true })).toMatchObject({
      status: "duplicate",
      alert: "quantity_mismatch",
    });
  });

  it("Duplicate with another quantity: already billed, flagged and alerted", () => {
    expect(classifyUsageItem(hour({ attempts: 3 }), duplicateOf(2), now)).toMatchObject({
      status: "duplicate",
      billedQuantity: "2",
      quantityMismatch: true,
      alert: "quantity_mismatch",
      lastError: expect.stringContaining("already billed 2"),
    });
  });

  it("Expired: lost, alerted, never retried", () => {
    expect(classifyUsageItem(hour(), item("Expired"), now)).toMatchObject({
      status: "expired",
      alert: "expired",
      nextAttemptAt: null,
    });
  });

  it("ResourceNotActive: held and retried while the window lasts", () => {
    expect(classifyUsageItem(hour(), item("ResourceNotActive"), now)).toMatchObject({
      status: "held",
      nextAttemptAt: new Date(now.getTime() + HELD_RETRY_MS),
    });
  });

  it.each(["ResourceNotFound", "ResourceNotAuthorized", "InvalidDimension", "InvalidQuantity", "BadArgument"])(
    "%s: failed, with a reason an admin can act on",
    (status) => {
      const outcome = classifyUsageItem(
        hour(),
        item(status, { error: { code: status, message: "details from Microsoft" } }),
        now,
      );
      expect(outcome).toMatchObject({ status: "failed", alert: "failed", lastStatus: status });
      expect(outcome.lastError).toContain("details from Microsoft");
    },
  );

  it("Error, an unknown status or no result at all: retried with backoff", () => {
    for (const result of [item("Error"), item("SomethingNew"), undefined]) {
      const outcome = classifyUsageItem(hour(), result, now);
      expect(outcome.status).toBe("pending");
      expect(outcome.nextAttemptAt!.getTime()).toBeGreaterThan(now.getTime());
    }
  });
});

describe("classifyBatchFailure", () => {
  const failure = (kind: MarketplaceErrorKind, status?: number) =>
    new MarketplaceError({ kind, operation: "batchUsageEvent", message: `failed (${kind})`, status });

  it.each(["throttled", "unavailable", "timeout", "invalid_response"] as const)("%s: retried with backoff", (kind) => {
    const outcome = classifyBatchFailure(hour({ attempts: 2 }), failure(kind), now, 25);
    expect(outcome).toMatchObject({ status: "pending" });
  });

  it("a 400 for a batch is split into single events; for a single event it is a failure", () => {
    expect(classifyBatchFailure(hour(), failure("bad_request", 400), now, 3)).toBe("split");
    expect(classifyBatchFailure(hour(), failure("bad_request", 400), now, 1)).toMatchObject({
      status: "failed",
      alert: "failed",
    });
  });

  it("403 waits at least 15 minutes: credentials do not fix themselves", () => {
    const outcome = classifyBatchFailure(hour(), failure("forbidden", 403), now, 25);
    expect(outcome !== "split" && outcome.nextAttemptAt!.getTime() - now.getTime()).toBeGreaterThanOrEqual(15 * 60_000);
  });
});

describe("retryDelayMs", () => {
  it("doubles from a minute, with jitter, capped at 30 minutes", () => {
    expect(retryDelayMs(1, () => 1)).toBe(60_000);
    expect(retryDelayMs(1, () => 0)).toBe(30_000);
    expect(retryDelayMs(3, () => 1)).toBe(240_000);
    expect(retryDelayMs(20, () => 1)).toBe(RETRY_MAX_MS);
  });
});
