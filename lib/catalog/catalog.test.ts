/** The lookups against the shipped catalog (config/catalog.json), and offers it does not list. */
import { describe, expect, it } from "vitest";
import { defaultAccountFields } from "./default-account-fields";
import {
  accountFields,
  catalogOffer,
  describeAccountConfig,
  describeOffer,
  describePlan,
  planEntitlements,
} from "./catalog";

describe("offer catalog lookups", () => {
  it("describes a listed offer with its name and links", () => {
    expect(describeOffer("contoso-analytics")).toMatchObject({
      offerId: "contoso-analytics",
      displayName: "Contoso Analytics",
      termsUrl: "https://contoso.example/analytics/terms",
      privacyUrl: "https://contoso.example/privacy",
      logoUrl: "/catalog/contoso-analytics.svg",
      known: true,
      preview: false,
    });
  });

  it("reads a preview purchase's offer id (<offer>-preview) as its offer: name, links, plans, fields, entitlements", () => {
    expect(describeOffer("contoso-analytics-preview")).toMatchObject({
      offerId: "contoso-analytics-preview",
      displayName: "Contoso Analytics",
      termsUrl: "https://contoso.example/analytics/terms",
      known: true,
      preview: true,
    });
    expect(catalogOffer("contoso-analytics-preview")).toBe(catalogOffer("contoso-analytics"));
    expect(describePlan("contoso-backup-preview", "team-auto").displayName).toBe("Team (per user)");
    expect(accountFields("contoso-analytics-preview", "basic")).toEqual(accountFields("contoso-analytics", "basic"));
    expect(planEntitlements("contoso-analytics-preview", "enterprise-seats")).toEqual(
      planEntitlements("contoso-analytics", "enterprise-seats"),
    );
    // Only the suffix, and only for an offer the catalog lists; "-preview" alone is no offer.
    expect(describeOffer("fabrikam-new-offer-preview")).toMatchObject({
      displayName: "fabrikam-new-offer-preview",
      known: false,
      preview: true,
    });
    expect(describeOffer("-preview")).toMatchObject({ known: false, preview: false });
    expect(describeOffer("contoso-analytics-previews")).toMatchObject({ known: false, preview: false });
  });

  it("falls back for an offer the catalog does not list: its id as name, PRODUCT_URL, default fields", () => {
    expect(catalogOffer("fabrikam-new-offer")).toBeNull();
    expect(describeOffer("fabrikam-new-offer")).toEqual({
      offerId: "fabrikam-new-offer",
      displayName: "fabrikam-new-offer",
      productUrl: "http://localhost:3000/account",
      known: false,
      preview: false,
    });
    expect(accountFields("fabrikam-new-offer", "any-plan")).toEqual(defaultAccountFields);
    expect(planEntitlements("fabrikam-new-offer", "any-plan")).toEqual({ features: {}, includedQuantities: {} });
  });

  it("names a plan by the catalog's override, else Microsoft's name, else its id", () => {
    expect(describePlan("contoso-backup", "team-auto", "Team (per user, starts at once)").displayName).toBe(
      "Team (per user)",
    );
    expect(describePlan("contoso-analytics", "basic", "Basic").displayName).toBe("Basic");
    expect(describePlan("contoso-analytics", "new-plan", "New plan").displayName).toBe("New plan");
    expect(describePlan("contoso-analytics", "new-plan", null)).toEqual({
      planId: "new-plan",
      displayName: "new-plan",
    });
    expect(describePlan("unknown-offer", "x", "  ").displayName).toBe("x");
  });

  it("answers a plan's features and included quantities, and empty ones for a plan it does not list", () => {
    expect(planEntitlements("contoso-analytics", "pro-seats").features).toMatchObject({ maxProjects: 50, sso: false });
    expect(planEntitlements("contoso-analytics", "basic").includedQuantities).toEqual({ reports: 20 });
    expect(planEntitlements("contoso-analytics", "no-such-plan")).toEqual({ features: {}, includedQuantities: {} });
  });

  it("gives an answer the caller may change without changing the catalog", () => {
    planEntitlements("contoso-analytics", "basic").features.maxProjects = 1;
    expect(planEntitlements("contoso-analytics", "basic").features.maxProjects).toBe(5);
  });

  it("adds a plan's fields to the offer's and replaces one of the same name in place", () => {
    const offerFields = accountFields("contoso-analytics", "basic").map((f) => f.name);
    const enterprise = accountFields("contoso-analytics", "enterprise-seats");
    expect(enterprise.map((f) => f.name)).toEqual([...offerFields, "ssoMetadataUrl"]);
    expect(enterprise.find((f) => f.name === "seatsExpected")).toMatchObject({ type: "number", min: 10 });
    expect(accountFields("contoso-backup", "team-auto").map((f) => f.name)).toContain("devicesPerUser");
    expect(accountFields("contoso-backup", "standard").map((f) => f.name)).not.toContain("devicesPerUser");
  });
});

describe("a stored account configuration as people read it", () => {
  it("labels each field in the form's order, names options, and keeps keys the catalog no longer defines", () => {
    const entries = describeAccountConfig("contoso-backup", "team-auto", {
      companyName: "Fabrikam",
      contactEmail: "it@fabrikam.example",
      region: "eastus",
      customerManagedKey: true,
      devicesPerUser: 2,
      acceptTerms: true,
      legacyField: "kept",
    });
    const text = (value: string) => ({ kind: "text", text: value });
    expect(entries).toEqual([
      { name: "companyName", label: "Company name", value: text("Fabrikam") },
      { name: "contactName", label: "Administrator name", value: { kind: "empty" } },
      { name: "contactEmail", label: "Administrator email", value: text("it@fabrikam.example") },
      { name: "region", label: "Primary backup region", value: text("East US") },
      { name: "retentionDays", label: "Keep backups for (days)", value: { kind: "empty" } },
      { name: "customerManagedKey", label: expect.stringContaining("Encrypt with my own key"), value: { kind: "yes" } },
      { name: "devicesPerUser", label: "Devices per user", value: { kind: "number", value: 2 } },
      { name: "legacyField", label: "legacyField", value: text("kept") },
    ]);
  });

  it("shows nothing stored as an empty list of the default fields for an unknown offer, labelled in every language", () => {
    const entries = describeAccountConfig("unknown-offer", "x", null);
    expect(entries.map((entry) => entry.value)).toEqual(defaultAccountFields.map(() => ({ kind: "empty" })));
    expect(entries[0]?.label).toEqual({ en: "Company name", ja: "会社名" });
  });
});
