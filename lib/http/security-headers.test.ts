import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, PERMISSIONS_POLICY, servedOverHttps } from "./security-headers";

const directives = (policy: string) =>
  Object.fromEntries(
    policy.split("; ").map((directive) => [directive.split(" ")[0], directive.split(" ").slice(1).join(" ")]),
  );

describe("Content-Security-Policy", () => {
  const production = directives(
    contentSecurityPolicy({
      nonce: "abc123",
      formActionOrigins: ["https://login.microsoftonline.com"],
      development: false,
      https: true,
    }),
  );

  it("allows scripts and styles only by nonce (no unsafe-inline, no eval) in production", () => {
    expect(production["script-src"]).toBe("'self' 'nonce-abc123' 'strict-dynamic'");
    expect(production["style-src"]).toBe("'self' 'nonce-abc123'");
    expect(JSON.stringify(production)).not.toMatch(/unsafe/);
  });

  it("forbids framing, plugins and base changes, and lets forms go only to us and the sign-in authority", () => {
    expect(production).toMatchObject({
      "frame-ancestors": "'none'",
      "object-src": "'none'",
      "base-uri": "'self'",
      "form-action": "'self' https://login.microsoftonline.com",
      "default-src": "'self'",
    });
  });

  it("upgrades insecure requests only over https", () => {
    expect(production).toHaveProperty("upgrade-insecure-requests");
    expect(
      directives(contentSecurityPolicy({ nonce: "n", formActionOrigins: [], development: false, https: false })),
    ).not.toHaveProperty("upgrade-insecure-requests");
  });

  it("allows what React's development build needs under next dev only", () => {
    const development = directives(
      contentSecurityPolicy({ nonce: "n", formActionOrigins: [], development: true, https: false }),
    );
    expect(development["script-src"]).toContain("'unsafe-eval'");
    expect(development["style-src"]).toBe("'self' 'unsafe-inline'");
    expect(development["form-action"]).toBe("'self'");
  });
});

describe("servedOverHttps", () => {
  it("is true for an https public URL, an https request, or a proxy saying https", () => {
    expect(
      servedOverHttps({
        publicBaseUrl: "https://portal.example",
        requestUrl: "http://10.0.0.4:3000/",
        forwardedProto: null,
      }),
    ).toBe(true);
    expect(
      servedOverHttps({
        publicBaseUrl: "http://localhost:3000",
        requestUrl: "https://localhost:3000/",
        forwardedProto: null,
      }),
    ).toBe(true);
    expect(
      servedOverHttps({
        publicBaseUrl: "http://localhost:3000",
        requestUrl: "http://localhost:3000/",
        forwardedProto: "HTTPS, http",
      }),
    ).toBe(true);
  });
  it("is false for plain http all the way", () => {
    expect(
      servedOverHttps({
        publicBaseUrl: "http://localhost:3000",
        requestUrl: "http://localhost:3000/",
        forwardedProto: null,
      }),
    ).toBe(false);
    expect(
      servedOverHttps({
        publicBaseUrl: "http://localhost:3000",
        requestUrl: "http://localhost:3000/",
        forwardedProto: "http",
      }),
    ).toBe(false);
  });
});

describe("Permissions-Policy", () => {
  it("switches off camera, microphone and geolocation, among others", () => {
    expect(PERMISSIONS_POLICY).toMatch(/^camera=\(\), microphone=\(\), geolocation=\(\), /);
  });
});
