import { describe, expect, it } from "vitest";
import type { StoredSubscription } from "./model";
import { applyTermUpdate, termUpdateSchema } from "./term-control";

const NOW = new Date("2026-05-20T12:00:00Z");

function subscription(): StoredSubscription {
  return {
    id: "6c7e9a2e-0000-4000-8000-000000000001",
    publisherId: "contoso-software",
    offerId: "contoso-backup",
    name: "Backup",
    status: "Subscribed",
    beneficiary: { emailId: "a@x", objectId: "o", tenantId: "t", puid: "P" },
    purchaser: { emailId: "a@x", objectId: "o", tenantId: "t", puid: "P" },
    planId: "standard",
    termUnit: "P1M",
    termStartDate: "2026-05-01T00:00:00Z",
    termEndDate: "2026-05-31T00:00:00Z",
    autoRenew: true,
    isTest: false,
    isFreeTrial: false,
    allowedCustomerOperations: ["Read"],
    sandboxType: "None",
    sessionMode: "None",
    created: "2026-05-01T00:00:00Z",
    lastModified: "2026-05-01T00:00:00Z",
  };
}

describe("termUpdateSchema", () => {
  it("takes any unit, date-only and date-time dates, and null to remove", () => {
    expect(
      termUpdateSchema.parse({ termUnit: " PAY ", chargeDuration: null, startDate: "2026-05-01", endDate: null }),
    ).toEqual({ termUnit: "PAY", chargeDuration: null, startDate: "2026-05-01", endDate: null });
    expect(termUpdateSchema.safeParse({ startDate: "2026-05-01T10:00:00+02:00" }).success).toBe(true);
  });

  it("refuses dates that do not exist and fields it does not know", () => {
    for (const bad of [
      { startDate: "2026-02-29" },
      { endDate: "2026-13-01" },
      { endDate: "20260501" },
      { startDate: "" },
      { termUnit: "" },
      { term: "P1M" },
    ]) {
      expect(termUpdateSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(termUpdateSchema.safeParse({ startDate: "2028-02-29" }).success).toBe(true);
  });
});

describe("applyTermUpdate", () => {
  it("changes only what is sent, removes what is null, and touches lastModified", () => {
    const s = subscription();
    applyTermUpdate(s, { termUnit: "PAY", chargeDuration: "P1M", endDate: null }, NOW);
    expect(s).toMatchObject({
      termUnit: "PAY",
      chargeDuration: "P1M",
      termStartDate: "2026-05-01T00:00:00Z",
      lastModified: NOW.toISOString(),
    });
    expect(s).not.toHaveProperty("termEndDate");
    applyTermUpdate(s, { chargeDuration: null }, NOW);
    expect(s).not.toHaveProperty("chargeDuration");
  });

  it("refuses an empty update and a term that ends before it starts, leaving the subscription as it was", () => {
    const s = subscription();
    const before = structuredClone(s);
    expect(() => applyTermUpdate(s, {}, NOW)).toThrow(/at least one/);
    expect(() => applyTermUpdate(s, { termUnit: "P1Y", startDate: "2026-06-01" }, NOW)).toThrow(
      /would end \(2026-05-31T00:00:00Z\) before it starts \(2026-06-01\)/,
    );
    expect(s).toEqual(before);
    // Removing the end date lifts the constraint.
    applyTermUpdate(s, { startDate: "2026-06-01", endDate: null }, NOW);
    expect(s.termStartDate).toBe("2026-06-01");
  });
});
