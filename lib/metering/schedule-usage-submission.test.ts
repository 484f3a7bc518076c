import { describe, expect, it } from "vitest";
import { nextScheduledRun } from "./schedule-usage-submission";

describe("nextScheduledRun", () => {
  it("runs at hh:05 every hour by default", () => {
    expect(nextScheduledRun(new Date("2026-11-25T12:04:59Z"), 60, 5).toISOString()).toBe("2026-11-25T12:05:00.000Z");
    expect(nextScheduledRun(new Date("2026-11-25T12:05:00Z"), 60, 5).toISOString()).toBe("2026-11-25T13:05:00.000Z");
    expect(nextScheduledRun(new Date("2026-11-25T23:59:00Z"), 60, 5).toISOString()).toBe("2026-11-26T00:05:00.000Z");
  });

  it("aligns other intervals to UTC midnight", () => {
    expect(nextScheduledRun(new Date("2026-11-25T12:20:00Z"), 15, 2).toISOString()).toBe("2026-11-25T12:32:00.000Z");
    expect(nextScheduledRun(new Date("2026-11-25T12:20:00Z"), 1, 0).toISOString()).toBe("2026-11-25T12:21:00.000Z");
  });
});
