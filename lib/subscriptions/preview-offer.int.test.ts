/**
 * A purchase through an offer's preview (Partner Center's preview audience): Microsoft names the
 * offer `<offer>-preview` (SaaS Accelerator issue #522, #694; marketplace-contract.md §15.26). The
 * portal reads it as the offer itself — names, account form, entitlements, API-key offer scopes —
 * and says it is a preview. End to end against the sandbox, which sells previews on request.
 */
import { afterAll, describe, expect, it } from "vitest";
import { authenticateApiKey } from "@/lib/api-keys/authenticate-api-key";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { accountFields, describeOffer } from "@/lib/catalog";
import { db, disconnectDatabase } from "@/lib/db";
import { getEntitlement } from "@/lib/entitlements/get-entitlement";
import { ingestUsage } from "@/lib/metering/ingest-usage";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { activateSubscription } from "./activate-subscription";
import { resolvePurchase } from "./resolve-purchase";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };
const paula = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };

afterAll(async () => {
  await disconnectDatabase();
});

async function keyFor(offerIds: string[], scopes: Array<"entitlements:read" | "usage:write">) {
  const created = await createApiKey({
    input: { name: "preview test", scopes, offerIds, tenantIds: [] },
    actor: paula,
  });
  const authenticated = await authenticateApiKey({ authorization: `Bearer ${created.key}`, scope: scopes[0]! });
  if (!authenticated.ok) throw new Error("the new key does not authenticate");
  return authenticated.apiKey;
}

describe("a preview purchase (offer id <offer>-preview)", () => {
  it("is the offer's own: its name, account form and entitlements, seen by keys scoped to the offer, marked as a preview", async () => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "basic",
      preview: true,
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    });
    const id = purchase.subscriptionId;
    expect((await sandbox.subscription(id)).subscription.offerId).toBe("contoso-analytics-preview");

    const view = await resolvePurchase({ token: purchase.token, actor: alice });
    expect(view.offerId).toBe("contoso-analytics-preview");
    expect(view.offer).toMatchObject({ displayName: "Contoso Analytics", known: true, preview: true });
    expect(view.plan.name).toBe("Basic");
    // The offer's own account form: its subdomain and region fields, not the defaults of an unlisted offer.
    expect(accountFields(view.offerId, "basic").map((field) => field.name)).toEqual(
      accountFields("contoso-analytics", "basic").map((field) => field.name),
    );
    const accountConfig = {
      companyName: "Fabrikam",
      contactName: "Alice",
      contactEmail: "alice@fabrikam.example",
      subdomain: "fabrikam-preview",
      region: "eu",
      acceptTerms: "on" as const,
    };
    await expect(activateSubscription({ subscriptionId: id, accountConfig, actor: alice })).resolves.toMatchObject({
      outcome: "activated",
    });
    const row = await db().subscription.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ offerId: "contoso-analytics-preview", status: "Subscribed" });
    expect(row.accountConfig).toMatchObject({ subdomain: "fabrikam-preview", region: "eu" });
    expect(describeOffer(row.offerId).preview).toBe(true);

    // A key limited to the offer sees its preview purchases, with the plan's features; another offer's key does not.
    const entitlement = await getEntitlement({
      apiKey: await keyFor(["contoso-analytics"], ["entitlements:read"]),
      subscriptionId: id,
    });
    expect(entitlement).toMatchObject({
      offer: { id: "contoso-analytics-preview", displayName: "Contoso Analytics" },
      plan: { id: "basic", displayName: "Basic" },
      features: { dashboards: true, maxProjects: 5 },
    });
    expect(
      await getEntitlement({ apiKey: await keyFor(["contoso-backup"], ["entitlements:read"]), subscriptionId: id }),
    ).toBeNull();

    // Usage reported with a key scoped to the offer is taken for the preview subscription.
    const usage = await ingestUsage({
      apiKey: await keyFor(["contoso-analytics"], ["usage:write"]),
      body: {
        records: [
          {
            subscriptionId: id,
            dimension: "reports",
            quantity: 2,
            effectiveAt: new Date().toISOString(),
            idempotencyKey: `preview-${id}`,
          },
        ],
      },
    });
    expect(usage.status).toBe(202);
    expect(usage.body.results[0]).toMatchObject({ status: "accepted" });
  });
});
