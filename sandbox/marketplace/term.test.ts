import { describe, expect, it } from "vitest";
import { nextTerm, termDates, termDescription, termMonths, termPeriodName } from "./term";

describe("termDates", () => {
  it("ends the day before the same date one term later (marketplace-contract.md §4.3)", () => {
    expect(termDates(new Date("2025-01-15T13:45:00Z"), "P1M")).toEqual({
      startDate: "2025-01-15T00:00:00Z",
      endDate: "2025-02-14T00:00:00Z",
    });
    expect(termDates(new Date("2025-03-01T00:00:00Z"), "P1Y")).toEqual({
      startDate: "2025-03-01T00:00:00Z",
      endDate: "2026-02-28T00:00:00Z",
    });
    expect(termDates(new Date("2024-02-29T08:00:00Z"), "P3Y")).toEqual({
      startDate: "2024-02-29T00:00:00Z",
      endDate: "2027-02-27T00:00:00Z",
    });
  });

  it("clamps month ends instead of overflowing", () => {
    expect(termDates(new Date("2025-01-31T00:00:00Z"), "P1M").endDate).toBe("2025-02-27T00:00:00Z");
  });

  it("renews the day after the term ends", () => {
    expect(nextTerm({ endDate: "2025-02-14T00:00:00Z" }, "P1M")).toEqual({
      startDate: "2025-02-15T00:00:00Z",
      endDate: "2025-03-14T00:00:00Z",
    });
    expect(nextTerm({ endDate: "2026-02-28T00:00:00Z" }, "P1Y")).toEqual({
      startDate: "2026-03-01T00:00:00Z",
      endDate: "2027-02-28T00:00:00Z",
    });
  });

  it("describes terms", () => {
    expect(termDescription("P1M")).toBe("1 month");
    expect(termDescription("P1Y")).toBe("1 year");
    expect(termDescription("P5Y")).toBe("5 years");
    expect(termPeriodName("P1M")).toBe("month");
    expect(termPeriodName("P1Y")).toBe("year");
    expect(termPeriodName("P3Y")).toBe("3 years");
  });
});

describe("term units outside the documented list (marketplace-contract.md §15.12)", () => {
  it("have no length, so a term of one has a start and no end", () => {
    expect(termMonths("PAY")).toBeUndefined();
    // Not an own key of the table: inherited names are not units either.
    expect(termMonths("toString")).toBeUndefined();
    expect(termMonths("p1m")).toBeUndefined();
    expect(termDates(new Date("2026-05-20T10:00:00Z"), "PAY")).toEqual({ startDate: "2026-05-20T00:00:00Z" });
  });

  it("are described as they are", () => {
    expect(termDescription("PAY")).toBe("PAY");
    expect(termPeriodName("P7W")).toBe("P7W");
  });

  it("renew for as many days as the current term, when both its dates are known", () => {
    expect(nextTerm({ startDate: "2026-05-01T00:00:00Z", endDate: "2026-05-10T00:00:00Z" }, "PAY")).toEqual({
      startDate: "2026-05-11T00:00:00Z",
      endDate: "2026-05-20T00:00:00Z",
    });
    // Date-only values, as older samples have them.
    expect(nextTerm({ startDate: "2026-05-01", endDate: "2026-05-31" }, "PAY")).toEqual({
      startDate: "2026-06-01T00:00:00Z",
      endDate: "2026-07-01T00:00:00Z",
    });
  });

  it("cannot renew without a usable start date", () => {
    expect(nextTerm({ endDate: "2026-05-10T00:00:00Z" }, "PAY")).toBeUndefined();
    expect(nextTerm({ startDate: "soon", endDate: "2026-05-10T00:00:00Z" }, "PAY")).toBeUndefined();
    expect(nextTerm({ startDate: "2026-06-01", endDate: "2026-05-10" }, "PAY")).toBeUndefined();
    expect(nextTerm({ endDate: "never" }, "P1M")).toBeUndefined();
  });
});
