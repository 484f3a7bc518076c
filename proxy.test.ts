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

afterEach(() => { vi.unstubAllEnvs(); });

describe("proxy", () => {
  it("answers 413 with a plain reason to a server action over the body limit, before Next.js reads it", async () => {
    const proxy = await proxyWith();
    const response = proxy(new NextRequest("http://localhost:3000/account", { method: "POST", headers: { "next-action": "7f00", "content-type": "text/plain;charset=UTF-8", "content-length": String(SERVER_ACTION_BODY_LIMIT_BYTES + 1) } }));
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toMatch(/too large to send/);
  });
});
