import { describe, expect, it } from "vitest";
import { createApiKeyInput, splitList } from "./api-key-input";

const base = { name: "Analytics production", offerIds: [], tenantIds: [] };

describe("createApiKeyInput", () => {
  it("takes one or both scopes, in a fixed order and without repeats", () => {
    expect(createApiKeyInput.parse({ ...base, scopes: ["usage:write"] }).scopes).toEqual(["usage:write"]);
    expect(
      createApiKeyInput.parse({ ...base, scopes: ["entitlements:read", "usage:write", "entitlements:read"] }).scopes,
    ).toEqual(["usage:write", "entitlements:read"]);
  });

  it("refuses a key that may do nothing, and a scope that does not exist", () => {
    const none = createApiKeyInput.safeParse({ ...base, scopes: [] });
    expect(none.success).toBe(false);
    expect(none.error?.issues[0]).toMatchObject({ path: ["scopes"], message: expect.stringContaining("at least one") });
    const unknown = createApiKeyInput.safeParse({ ...base, scopes: ["usage:write", "admin:all"] });
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues[0]).toMatchObject({ path: ["scopes", 1], message: "Unknown permission." });
  });

  it("keeps the limits to offers and tenants (tenant ids lower-cased)", () => {
    const parsed = createApiKeyInput.parse({
      ...base,
      scopes: ["entitlements:read"],
      offerIds: splitList("contoso-analytics, contoso-backup"),
      tenantIds: splitList("22222222-2222-4222-8222-22222222222A"),
    });
    expect(parsed).toMatchObject({
      offerIds: ["contoso-analytics", "contoso-backup"],
      tenantIds: ["22222222-2222-4222-8222-22222222222a"],
    });
    expect(createApiKeyInput.safeParse({ ...base, scopes: ["usage:write"], tenantIds: ["fabrikam"] }).success).toBe(
      false,
    );
  });
});
