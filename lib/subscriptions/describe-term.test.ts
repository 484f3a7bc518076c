import { describe, expect, it } from "vitest";
import { describeTerm, parseDuration, termValue } from "./describe-term";
import { termUnitWords, termWords } from "./subscription-words";
import { wordsFor } from "./words-for";

const en = wordsFor("en").t;
const ja = wordsFor("ja").t;
const inWords = (t: typeof en, termUnit: string | null, chargeDuration?: string | null) =>
  termWords(t, describeTerm({ termUnit, chargeDuration }));

describe("parseDuration", () => {
  it("reads every documented term unit", () => {
    expect(["P1M", "P1Y", "P2Y", "P3Y", "P4Y", "P5Y"].map(parseDuration)).toEqual([
      { count: 1, unit: "month" },
      { count: 1, unit: "year" },
      { count: 2, unit: "year" },
      { count: 3, unit: "year" },
      { count: 4, unit: "year" },
      { count: 5, unit: "year" },
    ]);
  });
  it("reads other single-unit durations and tolerates case and padding", () => {
    expect(parseDuration("P6M")).toEqual({ count: 6, unit: "month" });
    expect(parseDuration(" p1y ")).toEqual({ count: 1, unit: "year" });
    expect(parseDuration("P2W")).toEqual({ count: 2, unit: "week" });
  });
  it("gives null for what is not a duration", () => {
    for (const value of ["PAY", "", null, undefined, "P0M", "P1Y6M", "1Y", "P1000Y"])
      expect(parseDuration(value), String(value)).toBeNull();
  });
  it("keeps a value that is no duration as Microsoft wrote it", () => {
    expect(termValue(" PAY ")).toEqual({ kind: "raw", value: "PAY" });
  });
});

describe("describeTerm", () => {
  it("is data: the length and how often the customer pays", () => {
    expect(describeTerm({ termUnit: "P1Y", chargeDuration: null })).toEqual({
      length: { kind: "duration", duration: { count: 1, unit: "year" } },
      charge: null,
    });
    expect(describeTerm({ termUnit: "P3Y", chargeDuration: "P1M" }).charge).toEqual({
      kind: "every",
      duration: { count: 1, unit: "month" },
    });
    expect(describeTerm({ termUnit: "P1Y", chargeDuration: "p1y" }).charge).toEqual({ kind: "upfront" });
    expect(describeTerm({ termUnit: "PAY", chargeDuration: "Monthly" })).toEqual({
      length: { kind: "raw", value: "PAY" },
      charge: { kind: "raw", value: "Monthly" },
    });
    expect(describeTerm({ termUnit: "  ", chargeDuration: null })).toEqual({ length: null, charge: null });
  });
});

describe("a term in words", () => {
  it("names each documented term unit, in English and Japanese", () => {
    const units = ["P1M", "P1Y", "P2Y", "P3Y", "P4Y", "P5Y"];
    expect(units.map((unit) => inWords(en, unit))).toEqual([
      "1 month",
      "1 year",
      "2 years",
      "3 years",
      "4 years",
      "5 years",
    ]);
    expect(units.map((unit) => inWords(ja, unit))).toEqual(["1か月", "1年", "2年", "3年", "4年", "5年"]);
    expect([inWords(en, "P6M"), inWords(en, "P2W"), inWords(ja, "P2W")]).toEqual(["6 months", "2 weeks", "2週間"]);
  });
  it("adds how often the customer pays when Microsoft says", () => {
    expect(inWords(en, "P3Y", "P1M")).toBe("3 years, charged every month");
    expect(inWords(en, "P5Y", "P1Y")).toBe("5 years, charged every year");
    expect(inWords(en, "P1Y", "P3M")).toBe("1 year, charged every 3 months");
    expect(inWords(en, "P1Y", "P1Y")).toBe("1 year, charged up front");
    expect(inWords(ja, "P3Y", "P1M")).toBe("3年（毎月請求）");
    expect(inWords(ja, "P1Y", "P3M")).toBe("1年（3か月ごとに請求）");
    expect(inWords(ja, "P1Y", "P1Y")).toBe("1年（一括前払い）");
  });
  it("shows an unknown term unit (PAY) or charge duration as it is, never dropping or guessing", () => {
    expect(inWords(en, "PAY")).toBe("PAY");
    expect(inWords(ja, "PAY")).toBe("PAY");
    expect(inWords(en, "PAY", "Monthly")).toBe("PAY, charge period Monthly");
    expect(inWords(ja, "PAY", "Monthly")).toBe("PAY（請求期間：Monthly）");
    // Where a term is named inside a sentence (the review page), a raw value is quoted.
    expect([termUnitWords(en, "PAY"), termUnitWords(ja, "PAY"), termUnitWords(en, "P0M")]).toEqual([
      "“PAY”",
      "「PAY」",
      "“P0M”",
    ]);
  });
  it("says nothing is known when Microsoft sent no term", () => {
    expect(inWords(en, null, null)).toBe("—");
    expect(inWords(en, "  ", "P1M")).toBe("charged every month");
    expect(inWords(ja, "  ", "P1M")).toBe("毎月請求");
  });
});
