import { describe, expect, it } from "vitest";
import { identifyCall } from "./api-gateway";
import { CallLog, type CallRecord } from "./call-log";

const A = "6c7e9a2e-0000-4000-8000-00000000000a";
const B = "6c7e9a2e-0000-4000-8000-00000000000b";

function record(time: string, operation: CallRecord["operation"], subscriptionId: string | null): CallRecord {
  return {
    time,
    method: "GET",
    path: "/api/x",
    operation,
    subscriptionId,
    status: 200,
    durationMs: 1,
    requestId: "r",
    correlationId: "c",
    requestIdSent: false,
    correlationIdSent: false,
  };
}

describe("CallLog.query", () => {
  const log = new CallLog();
  log.add(record("2026-05-20T10:00:00.000Z", "activate", A));
  log.add(record("2026-05-20T10:00:01.000Z", "getSubscription", A));
  log.add(record("2026-05-20T10:00:02.000Z", "activate", B));
  log.add(record("2026-05-20T10:00:03.000Z", "resolve", null));

  it("combines since (inclusive), operation and subscription", () => {
    expect(log.query()).toHaveLength(4);
    expect(log.query({ since: new Date("2026-05-20T10:00:01.000Z") }).map((r) => r.operation)).toEqual([
      "getSubscription",
      "activate",
      "resolve",
    ]);
    expect(log.query({ operation: "activate" }).map((r) => r.subscriptionId)).toEqual([A, B]);
    expect(log.query({ operation: "activate", subscriptionId: B.toUpperCase() })).toHaveLength(1);
    expect(log.query({ operation: "activate", since: new Date("2026-05-20T10:00:03.000Z") })).toEqual([]);
  });
});

describe("identifyCall", () => {
  it("names the operation and the subscription of the path", () => {
    expect(identifyCall("POST", `/api/saas/subscriptions/${A.toUpperCase()}/activate`)).toEqual({
      operation: "activate",
      subscriptionId: A,
    });
    expect(identifyCall("POST", "/api/saas/subscriptions/resolve")).toEqual({
      operation: "resolve",
      subscriptionId: null,
    });
    expect(identifyCall("PATCH", `/api/saas/subscriptions/${A}/operations/op-1`)).toEqual({
      operation: "updateOperation",
      subscriptionId: A,
    });
    expect(identifyCall("POST", "/api/batchUsageEvent")).toEqual({
      operation: "batchUsageEvent",
      subscriptionId: null,
    });
    expect(identifyCall("PUT", `/api/saas/subscriptions/${A}`)).toEqual({ operation: null, subscriptionId: null });
    expect(identifyCall("GET", "/api/elsewhere")).toEqual({ operation: null, subscriptionId: null });
  });
});
