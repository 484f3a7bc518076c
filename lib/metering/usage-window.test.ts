import { describe, expect, it } from "vitest";
import {
  billableUntil,
  checkUsageTime,
  earliestAcceptedHour,
  expiryCutoff,
  expiryWarningFrom,
  hourStartOf,
  isRetryableHour,
  lastSubmittableHour,
} from "./usage-window";
import { parseUsageTime } from "./usage-record-schema";

const settings = { windowMarginMinutes: 60, clockSkewSeconds: 300 };
const at = (iso: string) => new Date(iso);

describe("hour boundaries (UTC clock hours, marketplace-contract.md §9.1)", () => {
  it.each([
    ["2026-11-25T10:00:00.000Z", "2026-11-25T10:00:00.000Z"],
    ["2026-11-25T10:59:59.999Z", "2026-11-25T10:00:00.000Z"],
    ["2026-11-25T11:00:00.000Z", "2026-11-25T11:00:00.000Z"],
    ["2026-12-31T23:30:00.000Z", "2026-12-31T23:00:00.000Z"],
  ])("%s is in the hour of %s", (time, hour) => {
    expect(hourStartOf(at(time)).toISOString()).toBe(hour);
  });

  it.each([
    // Offsets that are not whole hours land in the right UTC hour.
    ["2026-11-25T16:29:59+05:30", "2026-11-25T10:00:00.000Z"],
    ["2026-11-25T16:30:00+05:30", "2026-11-25T11:00:00.000Z"],
    ["2026-11-25T16:44:00+05:45", "2026-11-25T10:00:00.000Z"],
    ["2026-11-25T06:59:00-03:30", "2026-11-25T10:00:00.000Z"],
    // Across midnight and the date line.
    ["2026-11-26T00:15:00+01:00", "2026-11-25T23:00:00.000Z"],
    ["2026-11-25T13:15:00-11:00", "2026-11-26T00:00:00.000Z"],
    // A daylight-saving change does not matter: the offset is in the string.
    ["2026-03-29T01:30:00+00:00", "2026-03-29T01:00:00.000Z"],
    ["2026-03-29T03:30:00+02:00", "2026-03-29T01:00:00.000Z"],
  ])("%s → hour %s", (text, hour) => {
    const parsed = parseUsageTime(text);
    expect(parsed && hourStartOf(parsed).toISOString()).toBe(hour);
  });

  it("refuses times without an offset and dates that do not exist", () => {
    expect(parseUsageTime("2026-11-25T10:00:00")).toBeUndefined();
    expect(parseUsageTime("2026-02-30T10:00:00Z")).toBeUndefined();
    expect(parseUsageTime("2028-02-29T10:00:00Z")?.toISOString()).toBe("2028-02-29T10:00:00.000Z");
    expect(parseUsageTime("1764064800")).toBeUndefined();
  });
});

describe("the ingest window", () => {
  const now = at("2026-11-25T12:20:00Z");

  it("accepts hours that started at most 24 h minus the margin ago, rounded to whole hours", () => {
    // 24 h − 60 min before 12:20 is 13:20 the day before: the 13:00 hour is already too old.
    expect(earliestAcceptedHour(now, settings).toISOString()).toBe("2026-11-24T14:00:00.000Z");
    expect(checkUsageTime(at("2026-11-24T14:00:00.000Z"), now, settings)).toMatchObject({ ok: true });
    expect(checkUsageTime(at("2026-11-24T13:59:59.999Z"), now, settings)).toMatchObject({
      ok: false,
      code: "time_too_old",
    });
  });

  it("measures the window on the record's hour, not its own time", () => {
    // 22 h 50 min ago, but its hour started 23 h 20 min ago and would be sent later still.
    expect(checkUsageTime(at("2026-11-24T13:30:00Z"), now, settings)).toMatchObject({
      ok: false,
      code: "time_too_old",
    });
  });

  it("tolerates clock skew up to the setting, no more", () => {
    expect(checkUsageTime(at("2026-11-25T12:25:00.000Z"), now, settings)).toMatchObject({
      ok: true,
      hourStart: at("2026-11-25T12:00:00Z"),
    });
    expect(checkUsageTime(at("2026-11-25T12:25:00.001Z"), now, settings)).toMatchObject({
      ok: false,
      code: "time_in_future",
    });
    expect(checkUsageTime(at("2026-11-25T12:25:00Z"), now, { ...settings, clockSkewSeconds: 0 })).toMatchObject({
      ok: false,
      code: "time_in_future",
    });
  });

  it("names the earliest accepted time in the refusal", () => {
    const check = checkUsageTime(at("2026-11-23T12:00:00Z"), now, settings);
    expect(!check.ok && check.message).toContain("2026-11-24T14:00:00.000Z");
  });
});

describe("submission timing", () => {
  it("sends an hour once it is closed plus the delay", () => {
    expect(lastSubmittableHour(at("2026-11-25T12:04:59Z"), 5).toISOString()).toBe("2026-11-25T10:00:00.000Z");
    expect(lastSubmittableHour(at("2026-11-25T12:05:00Z"), 5).toISOString()).toBe("2026-11-25T11:00:00.000Z");
    expect(lastSubmittableHour(at("2026-11-25T12:00:00Z"), 0).toISOString()).toBe("2026-11-25T11:00:00.000Z");
  });

  it("an hour is billable until 24 h after it started", () => {
    expect(billableUntil(at("2026-11-24T13:00:00Z")).toISOString()).toBe("2026-11-25T13:00:00.000Z");
    expect(expiryCutoff(at("2026-11-25T13:00:00Z")).toISOString()).toBe("2026-11-24T13:00:00.000Z");
  });
});

describe("expiry helpers", () => {
  const now = new Date("2026-11-25T12:30:00Z");
  it("warns from 24 h minus the warning hours, and lets an admin resend only failed or held hours still inside the window", () => {
    expect(expiryWarningFrom(now, 4).toISOString()).toBe("2026-11-24T16:30:00.000Z");
    expect(isRetryableHour({ status: "failed", hourStart: new Date("2026-11-24T13:00:00Z") }, now)).toBe(true);
    expect(isRetryableHour({ status: "held", hourStart: new Date("2026-11-24T12:30:00Z") }, now)).toBe(false); // exactly 24 h: gone
    expect(isRetryableHour({ status: "accepted", hourStart: new Date("2026-11-25T11:00:00Z") }, now)).toBe(false);
  });
});
