import { describe, expect, it } from "vitest";
import { nextTerm, termDates, termDescription } from "./term";

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
    expect(nextTerm("2025-02-14T00:00:00Z", "P1M")).toEqual({
      startDate: "2025-02-15T00:00:00Z",
      endDate: "2025-03-14T00:00:00Z",
    });
    expect(nextTerm("2026-02-28T00:00:00Z", "P1Y")).toEqual({
      startDate: "2026-03-01T00:00:00Z",
      endDate: "2027-02-28T00:00:00Z",
    });
  });

  it("describes terms", () => {
    expect(termDescription("P1M")).toBe("1 month");
    expect(termDescription("P1Y")).toBe("1 year");
    expect(termDescription("P5Y")).toBe("5 years");
  });
});
