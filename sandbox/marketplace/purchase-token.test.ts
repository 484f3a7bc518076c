import { describe, expect, it } from "vitest";
import { generatePurchaseToken, hashPurchaseToken, malformedTokenReason } from "./purchase-token";

describe("purchase tokens", () => {
  it("always contain +, / and = so URL handling is exercised", () => {
    for (let i = 0; i < 200; i += 1) {
      const token = generatePurchaseToken();
      expect(token).toMatch(/\+/);
      expect(token).toMatch(/\//);
      expect(token.endsWith("==")).toBe(true);
      expect(malformedTokenReason(token)).toBeUndefined();
    }
  });

  it("are unique and stored by hash", () => {
    const a = generatePurchaseToken();
    const b = generatePurchaseToken();
    expect(a).not.toBe(b);
    expect(hashPurchaseToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashPurchaseToken(a)).not.toBe(hashPurchaseToken(b));
  });

  it("explain common decoding mistakes", () => {
    expect(malformedTokenReason("ab cd/ef==")).toMatch(/space/);
    expect(malformedTokenReason("ab%2Bcd%2Fef%3D%3D")).toMatch(/URL-encoded/);
    expect(malformedTokenReason("")).toMatch(/empty/);
    expect(malformedTokenReason("a<b")).toMatch(/characters/);
  });
});
