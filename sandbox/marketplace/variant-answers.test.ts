import { describe, expect, it } from "vitest";
import type { ApiResult } from "./api-gateway";
import { UNKNOWN_FIELDS, withBareArray, withTextBody, withUnknownFields } from "./variant-answers";

describe("withTextBody (text-bodies)", () => {
  it("gives a text body to the answers the contract leaves empty", () => {
    expect(withTextBody("activate", { status: 200 })).toEqual({ status: 200, body: "OK" });
    expect(withTextBody("updateOperation", { status: 200 })).toEqual({ status: 200, body: "OK" });
    const accepted: ApiResult = { status: 202, headers: { "operation-location": "https://x/op" } };
    expect(withTextBody("updateSubscription", accepted)).toEqual({ ...accepted, body: "Accepted" });
    expect(withTextBody("deleteSubscription", accepted)).toEqual({ ...accepted, body: "Accepted" });
  });

  it("leaves errors, answers with a body and other routes alone", () => {
    const conflict: ApiResult = { status: 409, body: { error: { code: "Conflict", message: "m" } } };
    expect(withTextBody("updateOperation", conflict)).toBe(conflict);
    const noBody: ApiResult = { status: 400 };
    expect(withTextBody("activate", noBody)).toBe(noBody);
    // List's documented empty answer (no subscriptions) is not one of them.
    const emptyList: ApiResult = { status: 200 };
    expect(withTextBody("listSubscriptions", emptyList)).toBe(emptyList);
  });
});

describe("withBareArray (bare-arrays)", () => {
  it("unwraps the operations and plans lists; an empty {} becomes []", () => {
    expect(withBareArray("listOperations", { status: 200, body: { operations: [{ id: "1" }] } }).body).toEqual([
      { id: "1" },
    ]);
    expect(withBareArray("listOperations", { status: 200, body: {} }).body).toEqual([]);
    expect(withBareArray("listAvailablePlans", { status: 200, body: { plans: [{ planId: "basic" }] } }).body).toEqual([
      { planId: "basic" },
    ]);
  });

  it("leaves other routes and errors alone", () => {
    const list: ApiResult = { status: 200, body: { subscriptions: [] } };
    expect(withBareArray("listSubscriptions", list)).toBe(list);
    const notFound: ApiResult = { status: 404, body: { error: { code: "NotFound", message: "m" } } };
    expect(withBareArray("listOperations", notFound)).toBe(notFound);
  });
});

describe("withUnknownFields (unknown-fields)", () => {
  it("adds the fields to every object, however deep, and a trailing space to statuses", () => {
    const body = {
      id: "s1",
      saasSubscriptionStatus: "Subscribed",
      term: { termUnit: "P1M" },
      allowedCustomerOperations: ["Read"],
      list: [{ status: "Succeeded", n: 1 }],
    };
    const shaped = withUnknownFields("getSubscription", { status: 200, body }).body;
    expect(shaped).toEqual({
      id: "s1",
      saasSubscriptionStatus: "Subscribed ",
      term: { termUnit: "P1M", ...UNKNOWN_FIELDS },
      allowedCustomerOperations: ["Read"],
      list: [{ status: "Succeeded ", n: 1, ...UNKNOWN_FIELDS }],
      ...UNKNOWN_FIELDS,
    });
    // The original answer is not mutated.
    expect(body.saasSubscriptionStatus).toBe("Subscribed");
  });

  it("decorates the items of a bare array and leaves text bodies, errors and the Metering API alone", () => {
    expect(withUnknownFields("listOperations", { status: 200, body: [{ status: "InProgress" }] }).body).toEqual([
      { status: "InProgress ", ...UNKNOWN_FIELDS },
    ]);
    const text: ApiResult = { status: 200, body: "OK" };
    expect(withUnknownFields("activate", text)).toBe(text);
    const error: ApiResult = { status: 400, body: { error: { code: "BadRequest", message: "m" } } };
    expect(withUnknownFields("getSubscription", error)).toBe(error);
    const usage: ApiResult = { status: 200, body: { status: "Accepted" } };
    expect(withUnknownFields("usageEvent", usage)).toBe(usage);
  });
});
