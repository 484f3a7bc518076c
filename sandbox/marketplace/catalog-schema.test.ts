import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCatalog } from "./catalog-schema";

const catalogPath = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "config", "catalog.json");
const raw = () => JSON.parse(readFileSync(catalogPath, "utf8")) as { offers: Array<{ plans: object[] }> };

describe("parseCatalog", () => {
  it("reads the seeded catalog: classic and auto-activated plans side by side", () => {
    const catalog = parseCatalog(raw());
    const backup = catalog.offers.find((o) => o.offerId === "contoso-backup");
    expect(backup?.plans.map((p) => [p.planId, p.autoActivate ?? false, p.termUnit, p.chargeDuration])).toEqual([
      ["standard", false, "P1M", undefined],
      ["premium", false, "P1Y", undefined],
      ["standard-auto", true, "P1M", undefined],
      ["team-auto", true, "P1M", undefined],
      ["premium-3y", false, "P3Y", "P1M"],
    ]);
    expect(backup?.plans.find((p) => p.planId === "team-auto")).toMatchObject({
      isPricePerSeat: true,
      minQuantity: 1,
      maxQuantity: 50,
    });
    // Existing plans stay classic.
    const analytics = catalog.offers.find((o) => o.offerId === "contoso-analytics");
    expect(analytics?.plans.every((p) => p.autoActivate === undefined)).toBe(true);
    expect(catalog).not.toHaveProperty("$comment");
  });

  it("refuses a catalog with a wrong field, naming it", () => {
    const broken = raw();
    broken.offers[0]?.plans.push({ ...broken.offers[0]?.plans[0], planId: "typo", autoActivate: "yes" });
    expect(() => parseCatalog(broken)).toThrow(/autoActivate/);
    const badUnit = raw();
    badUnit.offers[0]?.plans.push({ ...badUnit.offers[0]?.plans[0], planId: "typo", termUnit: "P1Q" });
    expect(() => parseCatalog(badUnit)).toThrow(/termUnit/);
    const badRange = raw();
    badRange.offers[0]?.plans.push({ ...badRange.offers[0]?.plans[0], planId: "r", minQuantity: 9, maxQuantity: 2 });
    expect(() => parseCatalog(badRange)).toThrow(/minQuantity must not exceed maxQuantity/);
  });
});
