/**
 * An offer the catalog does not list still works (docs/decisions/0011): the portal runs here with
 * a catalog that lists only contoso-analytics, and a contoso-backup purchase is resolved and
 * activated with the default account fields, its ids as names and PRODUCT_URL as its product.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { accountFields, describeOffer } from "@/lib/catalog";
import { defaultAccountFields } from "@/lib/catalog/default-account-fields";
import { db, disconnectDatabase } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { makeTempDir } from "@/tests/support/temp-dirs";
import { activateSubscription } from "./activate-subscription";
import { resolvePurchase } from "./resolve-purchase";

// The catalog and its CATALOG_FILE are read on first use, which comes after this.
const catalogFile = path.join(makeTempDir("catalog-"), "catalog.json");
writeFileSync(catalogFile, JSON.stringify({ offers: [{ offerId: "contoso-analytics", displayName: "Analytics" }] }));
process.env.CATALOG_FILE = catalogFile;

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };

afterAll(async () => {
  delete process.env.CATALOG_FILE;
  await disconnectDatabase();
});

describe("an offer the catalog does not list", () => {
  it("is shown by its ids and activated with the default account fields", async () => {
    expect(describeOffer("contoso-analytics").displayName).toBe("Analytics");
    const purchase = await sandbox.purchase({
      offerId: "contoso-backup",
      planId: "premium",
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    });
    const subscriptionId = purchase.subscriptionId.toLowerCase();
    const view = await resolvePurchase({ token: purchase.token, actor: alice });
    expect(view.offer).toEqual({
      offerId: "contoso-backup",
      displayName: "contoso-backup",
      productUrl: process.env.PRODUCT_URL,
      known: false,
      preview: false,
    });
    // No catalog name: Microsoft's plan name.
    expect(view.plan.name).toBe("Premium");
    expect(accountFields("contoso-backup", "premium")).toEqual(defaultAccountFields);

    // The default fields' rules apply on the server (country is a select of the default list).
    const refused = await activateSubscription({
      subscriptionId,
      accountConfig: {
        companyName: "Fabrikam",
        contactName: "Alice",
        contactEmail: "a@fabrikam.example",
        country: "XX",
        acceptTerms: "on",
      },
      actor: alice,
    }).catch((error: unknown) => error);
    expect(isAppError(refused, "invalid_input") && refused.fieldErrors).toEqual({
      country: ["Choose one of the listed options for country"],
    });

    const result = await activateSubscription({
      subscriptionId,
      accountConfig: {
        companyName: "Fabrikam",
        contactName: "Alice",
        contactEmail: "a@fabrikam.example",
        country: "DE",
        seatsExpected: "25",
        acceptTerms: "on",
      },
      actor: alice,
    });
    expect(result.outcome).toBe("activated");
    expect((await db().subscription.findUniqueOrThrow({ where: { id: subscriptionId } })).accountConfig).toEqual({
      companyName: "Fabrikam",
      contactName: "Alice",
      contactEmail: "a@fabrikam.example",
      country: "DE",
      seatsExpected: 25,
      acceptTerms: true,
    });
  });
});
