import { describe, expect, it } from "vitest";
import { wordsFor } from "@/lib/subscriptions/words-for";
import { formatDay, renewalOrEndDay } from "./format";

describe("formatDay", () => {
  it("writes a term's calendar day (UTC) in the reader's language", () => {
    const day = new Date("2026-11-25T00:00:00Z");
    expect(formatDay(wordsFor("en").format, day)).toBe("November 25, 2026");
    expect(formatDay(wordsFor("ja").format, day)).toBe("2026年11月25日");
    // An ISO string (a client component gets dates as strings) and a moment late in the UTC day.
    expect(formatDay(wordsFor("ja").format, "2026-11-25T23:30:00.000Z")).toBe("2026年11月25日");
  });
  it("says there is none with a dash, also for a value that is no date", () => {
    expect(formatDay(wordsFor("en").format, null)).toBe("—");
    expect(formatDay(wordsFor("en").format, undefined)).toBe("—");
    expect(formatDay(wordsFor("en").format, "not a date")).toBe("—");
  });
});

describe("renewalOrEndDay", () => {
  const termEndDate = new Date("2026-12-24T00:00:00Z");
  it("is the day after the term with auto-renewal, else the term's last day", () => {
    expect(renewalOrEndDay({ termEndDate, autoRenew: true })).toEqual(new Date("2026-12-25T00:00:00Z"));
    expect(renewalOrEndDay({ termEndDate, autoRenew: false })).toEqual(termEndDate);
    expect(renewalOrEndDay({ termEndDate: null, autoRenew: true })).toBeNull();
  });
});
