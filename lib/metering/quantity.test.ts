import { describe, expect, it } from "vitest";
import { addQuantities, normalizeQuantity, sameQuantity } from "./quantity";

describe("quantities", () => {
  it.each([
    [5, "5"],
    [0, "0"],
    [2.5, "2.5"],
    [0.1 + 0.2, "0.3"],
    [1e-10, "0"],
    // eslint-disable-next-line no-loss-of-precision -- the literal has more digits than a double keeps, on purpose
    [123456789.123456789, "123456789.123456791"],
    ["7", "7"],
    ["7.250", "7.25"],
    [" 3.1 ", "3.1"],
    ["0.000000001", "0.000000001"],
  ] as const)("%s → %s", (input, output) => {
    expect(normalizeQuantity(input)).toBe(output);
  });

  it.each([
    [-1],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [1e21],
    [1e300],
    ["-1"],
    ["NaN"],
    ["1e3"],
    ["0.0000000001"],
    [""],
    ["1,5"],
  ] as const)("refuses %s", (input) => {
    expect(normalizeQuantity(input)).toBeUndefined();
  });

  it("sums exactly", () => {
    expect(addQuantities(["0.1", "0.2", "0.300000000"])).toBe("0.6");
    expect(addQuantities(["999999999.999999999", "0.000000001"])).toBe("1000000000");
    expect(sameQuantity(7.5, "7.500000000")).toBe(true);
    expect(sameQuantity(7.5, "7.4")).toBe(false);
  });
});
