import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CatalogError, parseCatalog } from "./catalog-schema";

const shipped = readFileSync("config/catalog.json", "utf8");

function problems(catalog: unknown): string[] {
  try {
    parseCatalog(JSON.stringify(catalog), "test.json");
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as CatalogError).issues;
  }
  throw new Error("the catalog was accepted");
}

const offer = (extra: Record<string, unknown> = {}) => ({ offerId: "contoso-backup", displayName: "Backup", ...extra });

describe("catalog file", () => {
  it("accepts the shipped catalog of the sandbox's offers, every plan of both", () => {
    const catalog = parseCatalog(shipped, "config/catalog.json");
    expect(catalog.offers.map((o) => o.offerId)).toEqual(["contoso-analytics", "contoso-backup"]);
    const [analytics, backup] = catalog.offers;
    expect(backup?.plans.map((p) => p.planId)).toEqual(
      expect.arrayContaining(["standard", "premium", "standard-auto", "team-auto", "premium-3y"]),
    );
    expect(analytics?.plans.find((p) => p.planId === "basic")?.includedQuantities).toEqual({ reports: 20 });
  });

  it("refuses text that is not JSON, saying so", () => {
    expect(() => parseCatalog("{ offers: ", "broken.json")).toThrow(
      /Invalid offer catalog \(broken\.json\):\n {2}- not valid JSON/,
    );
  });

  it.each([
    ["a missing display name", { offers: [{ offerId: "contoso-backup" }] }, "offers[contoso-backup].displayName"],
    [
      "a terms URL that is not a URL",
      { offers: [offer({ termsUrl: "terms.html" })] },
      "offers[contoso-backup].termsUrl",
    ],
    [
      "a feature that is an object",
      { offers: [offer({ plans: [{ planId: "team-auto", features: { maxProjects: { n: 5 } } }] })] },
      "offers[contoso-backup].plans[team-auto].features.maxProjects",
    ],
    [
      "a negative included quantity",
      { offers: [offer({ plans: [{ planId: "standard", includedQuantities: { "storage-gb": -1 } }] })] },
      "offers[contoso-backup].plans[standard].includedQuantities.storage-gb",
    ],
    [
      "a field with an unknown type",
      { offers: [offer({ accountFields: [{ type: "date", name: "start", label: "Start" }] })] },
      "offers[contoso-backup].accountFields[start].type",
    ],
    [
      "a pattern that does not compile",
      { offers: [offer({ accountFields: [{ type: "text", name: "subdomain", label: "Sub", pattern: "[a-" }] })] },
      "offers[contoso-backup].accountFields[subdomain].pattern",
    ],
    [
      "a select whose default is not an option",
      {
        offers: [
          offer({
            accountFields: [
              {
                type: "select",
                name: "region",
                label: "Region",
                options: [{ value: "eu", label: "EU" }],
                default: "us",
              },
            ],
          }),
        ],
      },
      "offers[contoso-backup].accountFields[region].default",
    ],
    [
      "a number field with min above max",
      { offers: [offer({ accountFields: [{ type: "number", name: "seats", label: "Seats", min: 10, max: 5 }] })] },
      "offers[contoso-backup].accountFields[seats].max",
    ],
    [
      "a field named like the terms box",
      { offers: [offer({ accountFields: [{ type: "checkbox", name: "acceptTerms", label: "Terms" }] })] },
      "offers[contoso-backup].accountFields[acceptTerms].name",
    ],
    [
      "two fields with one name",
      {
        offers: [
          offer({
            accountFields: [
              { type: "text", name: "region", label: "A" },
              { type: "text", name: "region", label: "B" },
            ],
          }),
        ],
      },
      "offers[contoso-backup].accountFields[region].name",
    ],
    ["an offer listed twice", { offers: [offer(), offer()] }, "offers[contoso-backup].offerId"],
    [
      "a plan listed twice",
      { offers: [offer({ plans: [{ planId: "standard" }, { planId: "standard" }] })] },
      "offers[contoso-backup].plans[standard].planId",
    ],
    ["a misspelt key", { offers: [offer({ displayname: "x" })] }, "offers[contoso-backup]"],
  ])("refuses %s, naming the field", (_what, catalog, path) => {
    const issues = problems(catalog);
    expect(
      issues.some((issue) => issue.startsWith(`${path}:`) || (path.endsWith("]") && issue.startsWith(path))),
      issues.join("\n"),
    ).toBe(true);
  });

  it("says which key is misspelt", () => {
    expect(problems({ offers: [offer({ displayname: "x" })] }).join("\n")).toContain("displayname");
  });

  it("lists every problem at once", () => {
    const issues = problems({ offers: [{ offerId: "", displayName: "" }] });
    expect(issues.length).toBeGreaterThanOrEqual(2);
  });
});
