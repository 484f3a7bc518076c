import { describe, expect, it } from "vitest";
import {
  busyEndpointDelayMs,
  nextAttemptAt,
  nominalSchedule,
  retryCeilingMs,
  retryDelayMs,
  retrySettings,
} from "./retry-schedule";

const defaults = retrySettings({
  EVENT_RETRY_BASE_SECONDS: 30,
  EVENT_RETRY_MAX_DELAY_SECONDS: 6 * 3600,
  EVENT_RETRY_WINDOW_HOURS: 72,
});
const HOUR = 3_600_000;

describe("event delivery retries", () => {
  it("doubles the wait after each failure, up to the ceiling", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryCeilingMs(n, defaults))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000,
    ]);
    expect(retryCeilingMs(11, defaults)).toBe(6 * HOUR);
    expect(retryCeilingMs(30, defaults)).toBe(6 * HOUR);
  });

  it("jitters each wait between half and all of its ceiling", () => {
    expect(retryDelayMs(3, defaults, () => 0)).toBe(60_000);
    expect(retryDelayMs(3, defaults, () => 0.5)).toBe(90_000);
    expect(retryDelayMs(3, defaults, () => 0.999999)).toBe(120_000);
  });

  it("keeps trying for about three days, then gives up", () => {
    const schedule = nominalSchedule(defaults);
    const last = schedule[schedule.length - 1]!;
    expect(last).toBeLessThanOrEqual(72 * HOUR);
    expect(last).toBeGreaterThan(66 * HOUR);
    expect(schedule.length).toBeGreaterThan(15);
    expect(schedule.length).toBeLessThan(30);
    // The first few retries come quickly (a blip), the later ones hours apart (an outage).
    expect(schedule.slice(0, 4)).toEqual([0, 30_000, 90_000, 210_000]);
  });

  it("books the next attempt inside the window, and none outside it", () => {
    const startedAt = new Date("2026-12-01T00:00:00Z");
    const early = nextAttemptAt({ failedAttempts: 1, startedAt, now: startedAt, settings: defaults, random: () => 0 });
    expect(early).toEqual(new Date(startedAt.getTime() + 15_000));
    const late = new Date(startedAt.getTime() + 68 * HOUR);
    expect(nextAttemptAt({ failedAttempts: 20, startedAt, now: late, settings: defaults, random: () => 0 })).toEqual(
      new Date(late.getTime() + 3 * HOUR),
    );
    // Jitter that would carry it past 72 h: dead-lettered now rather than tried after the window.
    expect(
      nextAttemptAt({ failedAttempts: 20, startedAt, now: late, settings: defaults, random: () => 0.99 }),
    ).toBeNull();
  });
});

describe("a delivery whose endpoint is busy", () => {
  it("looks again after a quarter to half of the attempt timeout, at least a second", () => {
    expect(busyEndpointDelayMs(15_000, () => 0)).toBe(3750);
    expect(busyEndpointDelayMs(15_000, () => 0.999999)).toBe(7500);
    expect(busyEndpointDelayMs(2000, () => 0)).toBe(1000);
  });
});
