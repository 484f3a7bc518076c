import { describe, expect, it } from "vitest";
import { openApiChecker } from "@/tests/support/openapi-check";
import type { Entitlement } from "./entitlement-schemas";
import { entitlementsOpenApi } from "./openapi";

const document = JSON.parse(JSON.stringify(entitlementsOpenApi("https://portal.example"))) as Record<string, unknown>;
const { check } = openApiChecker(document);

const entitlement: Entitlement = {
  subscriptionId: "0f8fad5b-d9cb-469f-a165-70867728950e",
  name: "Fabrikam analytics",
  status: "Subscribed",
  setupState: "complete",
  activatedBy: "portal",
  offer: { id: "contoso-analytics", displayName: "Contoso Analytics" },
  plan: { id: "basic", displayName: "basic" },
  seats: null,
  features: { dashboards: true, maxProjects: 5, tier: "basic" },
  includedQuantities: { reports: 20 },
  term: { unit: "P1M", chargeDuration: null, startDate: "2026-11-01T00:00:00.000Z", endDate: null },
  autoRenew: true,
  isTest: false,
  isFreeTrial: false,
  beneficiaryTenantId: "22222222-2222-4222-8222-222222222222",
  purchaserTenantId: "22222222-2222-4222-8222-222222222222",
  updatedAt: "2026-11-30T04:00:00.000Z",
};
const one = (status: number, body: unknown) =>
  check({ path: "/api/v1/entitlements/{subscriptionId}", method: "get", status, body });
const list = (status: number, body: unknown) => check({ path: "/api/v1/entitlements", method: "get", status, body });

/** Every `$ref` in the document, wherever it is. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === "$ref" && typeof child === "string" ? [child] : refs(child),
  );
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with both operations, bearer authentication and resolvable references", () => {
    expect(document).toMatchObject({
      openapi: "3.1.0",
      servers: [{ url: "https://portal.example" }],
      security: [{ apiKey: ["entitlements:read"] }],
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } },
    });
    const paths = document.paths as Record<string, { get: { operationId: string } }>;
    expect(Object.keys(paths)).toEqual(["/api/v1/entitlements", "/api/v1/entitlements/{subscriptionId}"]);
    expect(Object.values(paths).map((path) => path.get.operationId)).toEqual(["listEntitlements", "getEntitlement"]);
    const found = refs(document);
    expect(found.length).toBeGreaterThan(10);
    for (const ref of found) {
      const target = ref
        .replace(/^#\//, "")
        .split("/")
        .reduce<unknown>((at, segment) => (at as Record<string, unknown> | undefined)?.[segment], document);
      expect(target, ref).toBeTypeOf("object");
    }
  });

  it("publishes the answers' objects open to new fields", () => {
    expect(JSON.stringify(document)).not.toContain('"additionalProperties":false');
  });
});

describe("the conformance check (used against real answers in entitlements-api.int.test.ts)", () => {
  it("accepts documented answers", () => {
    expect(one(200, entitlement)).toEqual([]);
    expect(list(200, { entitlements: [entitlement, { ...entitlement, seats: 5 }], nextCursor: "abc" })).toEqual([]);
    expect(list(200, { entitlements: [], nextCursor: null })).toEqual([]);
    expect(one(404, { error: { code: "not_found", message: "No." } })).toEqual([]);
    expect(list(400, { error: { code: "invalid_request", message: "No.", field: "tenantId" } })).toEqual([]);
  });

  it("refuses an undocumented or missing field, a wrong type or value, an undocumented status", () => {
    const { updatedAt: _dropped, ...withoutUpdatedAt } = entitlement;
    expect(one(200, { ...entitlement, email: "alice@fabrikam.example" })).toEqual([expect.stringContaining("email")]);
    expect(one(200, withoutUpdatedAt)).toEqual([expect.stringMatching(/^updatedAt/)]);
    expect(one(200, { ...entitlement, seats: "5" })).not.toEqual([]);
    expect(one(200, { ...entitlement, status: "Active" })).not.toEqual([]);
    expect(one(200, { ...entitlement, updatedAt: "yesterday" })).not.toEqual([]);
    expect(one(200, { ...entitlement, features: { sso: null } })).not.toEqual([]);
    expect(one(200, { ...entitlement, offer: { id: "x", displayName: "X", logo: "y" } })).not.toEqual([]);
    expect(list(404, { error: { code: "not_found", message: "No." } })).toEqual([
      "status 404 is not documented for /api/v1/entitlements",
    ]);
    expect(one(401, { error: { code: "unauthenticated", message: "No." }, entitlement })).not.toEqual([]);
    expect(one(401, { error: { code: "teapot", message: "No." } })).not.toEqual([]);
  });
});
