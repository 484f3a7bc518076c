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
        reason: expect.stringContaining("partner"),
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
      reason: expect.stringContaining("payment"),
    });
    expect(customerPermission({ status: "Suspended", allowedCustomerOperations: all }, "cancel").allowed).toBe(true);
    expect(customerPermission({ status: "Unsubscribed", allowedCustomerOperations: all }, "cancel")).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("cancelled"),
    });
    expect(
      customerPermission({ status: "PendingFulfillmentStart", allowedCustomerOperations: all }, "plan"),
    ).toMatchObject({ allowed: false, reason: expect.stringContaining("Activate") });
  });
});

describe("validateSeatCount", () => {
  const perSeat = { isPricePerSeat: true, minQuantity: 1, maxQuantity: 100 };

  it("accepts whole numbers within the plan's limits, boundaries included", () => {
    expect(validateSeatCount("1", perSeat)).toEqual({ ok: true, quantity: 1 });
    expect(validateSeatCount(" 100 ", perSeat)).toEqual({ ok: true, quantity: 100 });
    expect(validateSeatCount(42, perSeat)).toEqual({ ok: true, quantity: 42 });
  });

  it.each([
    ["0", "at least 1"],
    ["-3", "whole number"],
    ["2.5", "whole number"],
    ["1e3", "whole number"],
    ["101", "at most 100"],
    ["99999999999", "whole number"],
    ["ten", "whole number"],
    ["", "whole number"],
    [null, "whole number"],
    [{ value: 5 }, "whole number"],
  ])("refuses %j with a clear message", (raw, message) => {
    const result = validateSeatCount(raw, perSeat);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it("refuses the current seat count and flat-rate plans", () => {
    expect(validateSeatCount("5", perSeat, 5)).toMatchObject({
      ok: false,
      message: expect.stringContaining("already"),
    });
    expect(validateSeatCount("5", { isPricePerSeat: false })).toMatchObject({
      ok: false,
      message: expect.stringContaining("flat price"),
    });
  });

  it("uses a minimum of one seat when the plan gives none", () => {
    expect(validateSeatCount("0", { isPricePerSeat: true })).toMatchObject({
      ok: false,
      message: expect.stringContaining("at least 1"),
    });
  });
});
