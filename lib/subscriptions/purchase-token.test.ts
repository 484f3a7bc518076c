import { describe, expect, it } from "vitest";
import { landingPathFor, normalizePurchaseToken } from "./purchase-token";

describe("normalizePurchaseToken", () => {
  it("keeps an already-decoded token with + / = as is (no second decode)", () => {
    expect(normalizePurchaseToken("ab+cd/ef==")).toEqual({ ok: true, token: "ab+cd/ef==" });
    expect(normalizePurchaseToken("ab%2Bcd")).toEqual({ ok: true, token: "ab%2Bcd" });
  });

  it("restores + that the query-string decoder turned into spaces", () => {
    expect(normalizePurchaseToken("ab cd/ef==")).toEqual({ ok: true, token: "ab+cd/ef==" });
  });

  it("round-trips through the URL the way a browser and Next deliver it", () => {
    const original = "q1+w2/e3==+/+";
    const url = new URL(`http://portal.example${landingPathFor(original)}`);
    expect(url.search).toBe("?token=q1%2Bw2%2Fe3%3D%3D%2B%2F%2B");
    expect(normalizePurchaseToken(url.searchParams.get("token"))).toEqual({ ok: true, token: original });
    // Microsoft (or a mail client) sending the + unencoded still resolves to the same token.
    const unencoded = new URL("http://portal.example/landing?token=q1+w2/e3==+/+");
    expect(normalizePurchaseToken(unencoded.searchParams.get("token"))).toEqual({ ok: true, token: original });
  });

  it("reports missing tokens", () => {
    for (const raw of [undefined, null, "", "   ", []])
      expect(normalizePurchaseToken(raw)).toEqual({ ok: false, reason: "missing" });
  });

  it("takes the first of repeated token parameters", () => {
    expect(normalizePurchaseToken(["first", "second"])).toEqual({ ok: true, token: "first" });
  });

  it("refuses control characters, non-ASCII and oversized values", () => {
    expect(normalizePurchaseToken("abc\u0000def")).toEqual({ ok: false, reason: "malformed" });
    expect(normalizePurchaseToken("abc\ndef")).toEqual({ ok: false, reason: "malformed" });
    expect(normalizePurchaseToken("tökén")).toEqual({ ok: false, reason: "malformed" });
    expect(normalizePurchaseToken("a".repeat(8193))).toEqual({ ok: false, reason: "malformed" });
    expect(normalizePurchaseToken("a".repeat(8192)).ok).toBe(true);
  });
});
