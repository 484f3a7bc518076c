import { describe, expect, it } from "vitest";
import { faultRequestSchema, FaultRegistry } from "./faults";

const fault = (input: unknown) => faultRequestSchema.parse(input);

describe("FaultRegistry", () => {
  it("matches by method and by substring or regular expression, for `times` calls", () => {
    const registry = new FaultRegistry();
    registry.add(fault({ method: "post", pathPattern: "/activate", status: 500, times: 2 }));
    registry.add(fault({ pathPattern: "^/api/saas/subscriptions/?$", status: 429 }));
    expect(registry.take("GET", "/api/saas/subscriptions/x/activate")).toBeUndefined();
    expect(registry.take("POST", "/api/saas/subscriptions/x/activate")?.status).toBe(500);
    expect(registry.take("POST", "/api/saas/subscriptions/x/activate")?.status).toBe(500);
    expect(registry.take("POST", "/api/saas/subscriptions/x/activate")).toBeUndefined();
    expect(registry.take("GET", "/api/saas/subscriptions/x")).toBeUndefined();
    expect(registry.take("GET", "/api/saas/subscriptions/")?.status).toBe(429);
    expect(registry.list()).toEqual([]);
  });

  it("treats an invalid regular expression as a plain substring", () => {
    const registry = new FaultRegistry();
    registry.add(fault({ pathPattern: "resolve(", status: 503 }));
    expect(registry.take("POST", "/api/saas/subscriptions/resolve")).toBeUndefined();
    expect(registry.take("POST", "/x/resolve(")?.status).toBe(503);
  });

  it("requires a status or a delay and defaults times to 1", () => {
    expect(faultRequestSchema.safeParse({ times: 1 }).success).toBe(false);
    expect(fault({ delayMs: 100 }).times).toBe(1);
  });

  it("revokeToken: answers only calls with the token the first matching call carried; another token passes", () => {
    const registry = new FaultRegistry();
    registry.add(fault({ pathPattern: "/subscriptions/x", status: 403, revokeToken: true, times: 5 }));
    expect(registry.take("GET", "/api/saas/subscriptions/x", "Bearer old")?.status).toBe(403);
    expect(registry.take("GET", "/api/saas/subscriptions/x", "Bearer old")?.status).toBe(403);
    expect(registry.take("GET", "/api/saas/subscriptions/x", "Bearer fresh")).toBeUndefined();
    expect(registry.take("GET", "/api/saas/subscriptions/x", undefined)).toBeUndefined();
    // The token itself is never listed.
    expect(JSON.stringify(registry.list())).not.toContain("old");
    expect(faultRequestSchema.safeParse({ delayMs: 10, revokeToken: true }).success).toBe(false);
  });
});
