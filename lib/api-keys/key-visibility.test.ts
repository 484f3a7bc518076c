import { describe, expect, it } from "vitest";
import { keyMaySee, keyVisibleWhere } from "./key-visibility";

const fabrikam = "22222222-2222-4222-8222-222222222222";
const northwind = "33333333-3333-4333-8333-333333333333";
const subscription = { offerId: "contoso-analytics", beneficiaryTenantId: fabrikam };

describe("which subscriptions a key sees", () => {
  it("an unrestricted key sees every subscription", () => {
    expect(keyMaySee({ offerIds: [], tenantIds: [] }, subscription)).toBe(true);
    expect(keyVisibleWhere({ offerIds: [], tenantIds: [] })).toEqual({});
  });

  it("a key limited to offers or tenants sees only theirs (tenant = the beneficiary's)", () => {
    expect(keyMaySee({ offerIds: ["contoso-analytics"], tenantIds: [] }, subscription)).toBe(true);
    expect(keyMaySee({ offerIds: ["contoso-backup"], tenantIds: [] }, subscription)).toBe(false);
    expect(keyMaySee({ offerIds: [], tenantIds: [fabrikam] }, subscription)).toBe(true);
    expect(keyMaySee({ offerIds: [], tenantIds: [northwind] }, subscription)).toBe(false);
    expect(keyMaySee({ offerIds: ["contoso-analytics"], tenantIds: [northwind] }, subscription)).toBe(false);
    expect(keyMaySee({ offerIds: [], tenantIds: [fabrikam] }, { ...subscription, beneficiaryTenantId: null })).toBe(
      false,
    );
    expect(keyVisibleWhere({ offerIds: ["contoso-backup"], tenantIds: [northwind] })).toEqual({
      offerId: { in: ["contoso-backup", "contoso-backup-preview"] },
      beneficiaryTenantId: { in: [northwind] },
    });
  });

  it("a key limited to an offer sees its preview purchases too (offer id <offer>-preview), and nothing else's", () => {
    const preview = { ...subscription, offerId: "contoso-analytics-preview" };
    expect(keyMaySee({ offerIds: ["contoso-analytics"], tenantIds: [] }, preview)).toBe(true);
    expect(keyMaySee({ offerIds: ["contoso-backup"], tenantIds: [] }, preview)).toBe(false);
    // A key for the preview offer alone does not see the live one.
    expect(keyMaySee({ offerIds: ["contoso-analytics-preview"], tenantIds: [] }, preview)).toBe(true);
    expect(keyMaySee({ offerIds: ["contoso-analytics-preview"], tenantIds: [] }, subscription)).toBe(false);
    expect(keyVisibleWhere({ offerIds: ["contoso-analytics"], tenantIds: [] })).toEqual({
      offerId: { in: ["contoso-analytics", "contoso-analytics-preview"] },
    });
  });
});
