import { describe, expect, it } from "vitest";
import { returnPathOf, safeReturnPath } from "./return-path";

describe("return path after sign-in", () => {
  it("keeps the path and the query of the page asked for", () => {
    expect(returnPathOf(new URL("http://localhost:3000/account/invitations/abc_DEF-123"))).toBe(
      "/account/invitations/abc_DEF-123",
    );
    expect(returnPathOf(new URL("http://localhost:3000/landing/activated?subscription=a%2Fb"))).toBe(
      "/landing/activated?subscription=a%2Fb",
    );
  });

  it("drops Next's _rsc parameter of a client navigation", () => {
    expect(returnPathOf(new URL("http://localhost/account/subscriptions/x?_rsc=1a2b"))).toBe(
      "/account/subscriptions/x",
    );
    expect(returnPathOf(new URL("http://localhost/landing/activated?_rsc=9&subscription=s"))).toBe(
      "/landing/activated?subscription=s",
    );
  });

  it("accepts only a path on this site", () => {
    expect(safeReturnPath("/account/subscriptions/x/cancel", "/account")).toBe("/account/subscriptions/x/cancel");
    expect(safeReturnPath("/", "/account")).toBe("/");
    for (const foreign of [
      "//evil.example/x",
      "/\\evil.example",
      "https://evil.example/",
      "evil",
      "/a\\b",
      "/a\nb",
      "",
      null,
      undefined,
      `/${"a".repeat(2048)}`,
    ])
      expect(safeReturnPath(foreign, "/account"), String(foreign)).toBe("/account");
  });
});
