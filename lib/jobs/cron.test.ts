import { describe, expect, it } from "vitest";
import { cronEvery } from "./cron";

describe("cronEvery", () => {
  it("runs the usage submission at hh:05 by default, and other intervals aligned to UTC midnight", () => {
    expect(cronEvery(60, 5)).toBe("5 * * * *");
    expect(cronEvery(15, 2)).toBe("2,17,32,47 * * * *");
  });

  it("writes sub-hour intervals as minute lists, with the offset", () => {
    expect(cronEvery(60, 5)).toBe("5 * * * *");
    expect(cronEvery(15, 5)).toBe("5,20,35,50 * * * *");
    expect(cronEvery(30)).toBe("0,30 * * * *");
    expect(cronEvery(1)).toBe(`${Array.from({ length: 60 }, (_, n) => n).join(",")} * * * *`);
  });

  it("writes whole hours that divide a day as hour lists", () => {
    expect(cronEvery(360)).toBe("0 0,6,12,18 * * *");
    expect(cronEvery(1440, 5)).toBe("5 0 * * *");
    expect(cronEvery(120, 65)).toBe("5 1,3,5,7,9,11,13,15,17,19,21,23 * * *");
  });

  it("refuses what one cron line cannot say", () => {
    expect(() => cronEvery(90)).toThrow(RangeError);
    expect(() => cronEvery(7)).toThrow(RangeError);
    expect(() => cronEvery(0)).toThrow(RangeError);
  });
});
