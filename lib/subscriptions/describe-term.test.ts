import { describe, expect, it } from "vitest";
import { describeTerm, durationInWords } from "./describe-term";

describe("durationInWords", () => {
  it("reads every documented term unit", () => {
    expect(["P1M", "P1Y", "P2Y", "P3Y", "P4Y", "P5Y"].map(durationInWords)).toEqual([
      "1 month",
      "1 year",
      "2 years",
      "3 years",
      "4 years",
      "5 years",
    ]);
  });
  it("reads other single-unit durations and tolerates case and padding", () => {
    expect(durationInWords("P6M")).toBe("6 months");
    expect(durationInWords(" p1y ")).toBe("1 year");
    expect(durationInWords("P2W")).toBe("2 weeks");
  });
  it("gives null for what is not a duration", () => {
    for (const value of ["PAY", "", null, undefined, "P0M", "P1Y6M", "1Y", "P1000Y"])
      expect(durationInWords(value), String(value)).toBeNull();
  });
});

describe("describeTerm", () => {
  it("names a documented term without a charge duration", () => {
    expect(describeTerm({ termUnit: "P1Y", chargeDuration: null })).toEqual({
      length: "1 year",
      charge: null,
      text: "1 year",
    });
  });
  it("adds how often the customer pays when Microsoft says", () => {
    expect(describeTerm({ termUnit: "P3Y", chargeDuration: "P1M" }).text).toBe("3 years, charged every month");
    expect(describeTerm({ termUnit: "P5Y", chargeDuration: "P1Y" }).text).toBe("5 years, charged every year");
    expect(describeTerm({ termUnit: "P1Y", chargeDuration: "P3M" }).text).toBe("1 year, charged every 3 months");
    expect(describeTerm({ termUnit: "P1Y", chargeDuration: "P1Y" }).text).toBe("1 year, charged up front");
  });
  it("shows an unknown term unit or charge duration as it is, never dropping or guessing", () => {
    expect(describeTerm({ termUnit: "PAY" })).toEqual({ length: "PAY", charge: null, text: "PAY" });
    expect(describeTerm({ termUnit: "PAY", chargeDuration: "Monthly" }).text).toBe("PAY, charge period Monthly");
  });
  it("says nothing is known when Microsoft sent no term", () => {
    expect(describeTerm({ termUnit: null, chargeDuration: null }).text).toBe("—");
    expect(describeTerm({ termUnit: "  ", chargeDuration: "P1M" }).text).toBe("charged every month");
  });
});
