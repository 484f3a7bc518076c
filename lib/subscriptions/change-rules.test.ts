import { describe, expect, it } from "vitest";
import { customerPermission, validateSeatCount } from "./change-rules";

const all = ["Read", "Update", "Delete"];

describe("customerPermission", () => {
  it("allows every change on an active subscription the customer bought directly", () => {
    for (const kind of ["plan", "quantity", "cancel"] as const)
      expect(customerPermission({ status: "Subscribed", allowedCustomerOperations: all }, kind)).toEqual({
        allowed: true,
      });
  });

  it("shows no change controls for CSP purchases (allowedCustomerOperations = Read)", () => {
    for (const kind of ["plan", "quantity", "cancel"] as const) {
      expect(customerPermission({ status: "Subscribed", allowedCustomerOperations: ["Read"] }, kind)).toMatchObject({
        allowed: false,
        reason: "csp",
      });
    }
  });

  it("respects Update and Delete separately", () => {
    const updateOnly = { status: "Subscribed" as const, allowedCustomerOperations: ["Read", "Update"] };
    expect(customerPermission(updateOnly, "plan").allowed).toBe(true);
    expect(customerPermission(updateOnly, "cancel").allowed).toBe(false);
  });

  it("explains suspended and cancelled subscriptions; a suspended one can still be cancelled", () => {
    expect(customerPermission({ status: "Suspended", allowedCustomerOperations: all }, "plan")).toMatchObject({
      allowed: false,
      reason: "suspended",
    });
    expect(customerPermission({ status: "Suspended", allowedCustomerOperations: all }, "cancel").allowed).toBe(true);
    expect(customerPermission({ status: "Unsubscribed", allowedCustomerOperations: all }, "cancel")).toMatchObject({
      allowed: false,
      reason: "cancelled",
    });
    expect(customerPermission({ status: "PendingFulfillmentStart", allowedCustomerOperations: all }, "plan")).toEqual({
      allowed: false,
      reason: "not-active",
    });
  });
});

describe("validateSeatCount", () => {
  const perSeat = { isPricePerSeat: true, minQuantity: 1, maxQuantity: 100 };

  it("accepts whole numbers within the plan's limits, boundaries included", () => {
    expect(validateSeatCount("1", perSeat)).toEqual({ ok: true, quantity: 1 });
    expect(validateSeatCount(" 100 ", perSeat)).toEqual({ ok: true, quantity: 100 });
    expect(validateSeatCount(42, perSeat)).toEqual({ ok: true, quantity: 42 });
  });

  const notWhole = { code: "not-whole" };
  it.each([
    ["0", { code: "below-minimum", min: 1 }],
    ["-3", notWhole],
    ["2.5", notWhole],
    ["1e3", notWhole],
    ["101", { code: "above-maximum", max: 100 }],
    ["99999999999", notWhole],
    ["ten", notWhole],
    ["", notWhole],
    [null, notWhole],
    [{ value: 5 }, notWhole],
  ])("refuses %j, saying why", (raw, refusal) => {
    expect(validateSeatCount(raw, perSeat)).toEqual({ ok: false, refusal });
  });

  it("refuses the current seat count and flat-rate plans", () => {
    expect(validateSeatCount("5", perSeat, 5)).toEqual({ ok: false, refusal: { code: "unchanged", seats: 5 } });
    expect(validateSeatCount("5", { isPricePerSeat: false })).toEqual({ ok: false, refusal: { code: "flat-price" } });
  });

  it("uses a minimum of one seat when the plan gives none", () => {
    expect(validateSeatCount("0", { isPricePerSeat: true })).toEqual({
      ok: false,
      refusal: { code: "below-minimum", min: 1 },
    });
  });
});
