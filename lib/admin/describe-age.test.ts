import { describe, expect, it } from "vitest";
import { describeAge } from "./describe-age";

const now = new Date("2026-11-30T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("describeAge", () => {
  it("names minutes, hours and days, singular and plural", () => {
    expect(describeAge(ago(20_000), now)).toBe("less than a minute");
    expect(describeAge(ago(60_000), now)).toBe("1 minute");
    expect(describeAge(ago(59 * 60_000), now)).toBe("59 minutes");
    expect(describeAge(ago(60 * 60_000), now)).toBe("1 hour");
    expect(describeAge(ago(47 * 3_600_000), now)).toBe("47 hours");
    expect(describeAge(ago(48 * 3_600_000), now)).toBe("2 days");
    expect(describeAge(ago(400 * 86_400_000), now)).toBe("400 days");
  });
  it("a date in the future (clock skew) reads as just now, never negative", () => {
    expect(describeAge(new Date(now.getTime() + 90_000), now)).toBe("less than a minute");
  });
});
