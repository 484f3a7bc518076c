import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "./lib/http/server-action-limit";

const env = {
  AUTH_SECRET: "test-only-secret-test-only-secret-test-only-secret",
  AUTH_MICROSOFT_ENTRA_ID_ID: "5a1e0000-0000-4000-8000-00000000a001",
  AUTH_MICROSOFT_ENTRA_ID_SECRET: "s",
  AUTH_MICROSOFT_ENTRA_ID_ISSUER: "https://localhost:8443/common/v2.0",
  PUBLIC_BASE_URL: "http://localhost:3000",
};

async function proxyWith(values: Record<string, string> = {}) {
  vi.resetModules();
  for (const [key, value] of Object.entries({ ...env, ...values })) vi.stubEnv(key, value);
  return (await import("./proxy")).proxy;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("proxy", () => {
  it("answers 413 with a plain reason to a server action over the body limit, before Next.js reads it", async () => {
    const proxy = await proxyWith();
    const response = proxy(
      new NextRequest("http://localhost:3000/account", {
        method: "POST",
        headers: {
          "next-action": "7f00",
          "content-type": "text/plain;charset=UTF-8",
          "content-length": String(SERVER_ACTION_BODY_LIMIT_BYTES + 1),
        },
      }),
    );
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toMatch(/too large to send/);
  });

  it("gives every page a policy with a fresh nonce, and hands the same policy to Next.js in the request", async () => {
    const proxy = await proxyWith();
    const first = proxy(new NextRequest("http://localhost:3000/landing?token=abc"));
    const second = proxy(new NextRequest("http://localhost:3000/landing?token=abc"));
    const policy = first.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]{22}==' 'strict-dynamic'/);
    expect(policy).toContain("form-action 'self' https://localhost:8443;");
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy); // what Next.js renders with
    expect(second.headers.get("content-security-policy")).not.toBe(policy);
    expect(first.headers.get("strict-transport-security")).toBeNull(); // plain http
  });

  it("adds HSTS (and upgrades insecure requests) when the portal is public over https or a proxy says https", async () => {
    const behindTls = await proxyWith();
    const forwarded = behindTls(
      new NextRequest("http://10.0.0.4:3000/account", { headers: { "x-forwarded-proto": "https" } }),
    );
    expect(forwarded.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(forwarded.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
    const publicHttps = await proxyWith({ PUBLIC_BASE_URL: "https://portal.example" });
    expect(publicHttps(new NextRequest("http://10.0.0.4:3000/account")).headers.get("strict-transport-security")).toBe(
      "max-age=31536000; includeSubDomains",
    );
  });
});
