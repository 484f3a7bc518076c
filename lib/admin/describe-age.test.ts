import { describe, expect, it } from "vitest";
import { describeAge } from "./describe-age";

const now = new Date("2026-11-30T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("describeAge", () => {
  it("counts minutes, then hours up to two days, then days", () => {
    expect(describeAge(ago(20_000), now)).toEqual({ unit: "minute", count: 0 });
    expect(describeAge(ago(60_000), now)).toEqual({ unit: "minute", count: 1 });
    expect(describeAge(ago(59 * 60_000), now)).toEqual({ unit: "minute", count: 59 });
    expect(describeAge(ago(60 * 60_000), now)).toEqual({ unit: "hour", count: 1 });
    expect(describeAge(ago(47 * 3_600_000), now)).toEqual({ unit: "hour", count: 47 });
    expect(describeAge(ago(48 * 3_600_000), now)).toEqual({ unit: "day", count: 2 });
    expect(describeAge(ago(400 * 86_400_000), now)).toEqual({ unit: "day", count: 400 });
  });
  it("a date in the future (clock skew) reads as just now, never negative", () => {
    expect(describeAge(new Date(now.getTime() + 90_000), now)).toEqual({ unit: "minute", count: 0 });
  });
});
