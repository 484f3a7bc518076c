/**
 * The account form the catalog defines (config/catalog.json), checked on the server: activation
 * and the setup of an auto-activated subscription store the generated fields as typed values, and
 * refuse invalid ones with a reason per field, writing nothing and calling Microsoft for nothing.
 * Against the running sandbox over HTTP and a real database (PostgreSQL or PGlite).
 */
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { activateSubscription } from "./activate-subscription";
import { completeSetup } from "./complete-setup";
import { resolvePurchase } from "./resolve-purchase";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };

const buy = async (offerId: string, planId: string, quantity?: number) => {
  const purchase = await sandbox.purchase({
    offerId,
    planId,
    ...(quantity === undefined ? {} : { quantity }),
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  return { ...purchase, subscriptionId: purchase.subscriptionId.toLowerCase() };
};
const local = (id: string) => db().subscription.findUniqueOrThrow({ where: { id } });
const audits = (subscriptionId: string) =>
  db()
    .auditEvent.findMany({ where: { subscriptionId }, orderBy: { id: "asc" } })
    .then((rows) => rows.map((row) => row.action));

/** The field errors of a refused save (AppError "invalid_input"). */
async function refusal(promise: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error, "invalid_input")) throw new Error(`expected invalid_input, got ${String(error)}`);
  return error.fieldErrors ?? {};
}

afterAll(async () => {
  await disconnectDatabase();
});

describe("account configuration from the offer catalog", () => {
  it("activation stores the plan's generated fields as typed values", async () => {
    const purchase = await buy("contoso-analytics", "enterprise-seats", 20);
    const view = await resolvePurchase({ token: purchase.token, actor: alice });
    expect(view.offer).toMatchObject({ displayName: "Contoso Analytics", termsUrl: expect.stringMatching(/^https:/) });

    const result = await activateSubscription({
      subscriptionId: purchase.subscriptionId,
      accountConfig: {
        companyName: " Fabrikam, Inc. ",
        contactName: "Alice Admin",
        contactEmail: "alice@fabrikam.example",
        subdomain: "fabrikam",
        region: "us",
        seatsExpected: "40",
        ssoMetadataUrl: "https://login.fabrikam.example/metadata.xml",
        productUpdates: "on",
        acceptTerms: "on",
        isAdmin: "true",
      },
      actor: alice,
    });
    expect(result.outcome).toBe("activated");
    const row = await local(purchase.subscriptionId);
    expect(row.accountConfig).toEqual({
      companyName: "Fabrikam, Inc.",
      contactName: "Alice Admin",
      contactEmail: "alice@fabrikam.example",
      subdomain: "fabrikam",
      region: "us",
      seatsExpected: 40,
      ssoMetadataUrl: "https://login.fabrikam.example/metadata.xml",
      productUpdates: true,
      acceptTerms: true,
    });
  });

  it("refuses invalid fields on the server with a reason each, and writes and sends nothing", async () => {
    const purchase = await buy("contoso-analytics", "enterprise-seats", 20);
    await resolvePurchase({ token: purchase.token, actor: alice });
    const before = await audits(purchase.subscriptionId);

    const errors = await refusal(
      activateSubscription({
        subscriptionId: purchase.subscriptionId,
        accountConfig: {
          companyName: "",
          contactName: "Alice Admin",
          contactEmail: "alice-at-fabrikam",
          subdomain: "Fabrikam Inc",
          region: "mars",
          seatsExpected: "5",
          ssoMetadataUrl: "javascript:alert(1)",
        },
        actor: alice,
      }),
    );
    expect(errors).toEqual({
      companyName: ["Company name is required"],
      contactEmail: [expect.stringContaining("valid email address")],
      subdomain: ["Use lower-case letters, digits and hyphens; start with a letter"],
      region: [expect.stringContaining("Choose one of the listed options")],
      // The plan's own rule (Enterprise: at least 10) replaces the offer's.
      seatsExpected: ["Expected number of users must be at least 10"],
      ssoMetadataUrl: [expect.stringContaining("web address")],
      acceptTerms: ["Please accept the terms of service to continue"],
    });
    expect(await local(purchase.subscriptionId)).toMatchObject({
      status: "PendingFulfillmentStart",
      accountConfig: null,
      activationRequestedAt: null,
    });
    expect(await audits(purchase.subscriptionId)).toEqual(before);
    expect(await db().operation.count({ where: { subscriptionId: purchase.subscriptionId } })).toBe(0);
    expect(await sandbox.calls({ operation: "activate", subscriptionId: purchase.subscriptionId })).toEqual([]);
  });

  it("the setup of an auto-activated plan checks the plan's fields, then stores them", async () => {
    const purchase = await buy("contoso-backup", "team-auto", 3);
    const view = await resolvePurchase({ token: purchase.token, actor: alice });
    expect(view).toMatchObject({ status: "Subscribed", setupState: "pending" });
    // The catalog names the plan and the offer.
    expect(view.plan.name).toBe("Team (per user)");
    expect(view.offer.displayName).toBe("Contoso Cloud Backup");

    const base = {
      companyName: "Fabrikam",
      contactName: "Alice Admin",
      contactEmail: "alice@fabrikam.example",
      acceptTerms: "on",
    };
    expect(
      await refusal(
        completeSetup({
          subscriptionId: purchase.subscriptionId,
          accountConfig: { ...base, devicesPerUser: "4", retentionDays: "3" },
          actor: alice,
        }),
      ),
    ).toEqual({
      devicesPerUser: ["Devices per user must be at most 3"],
      retentionDays: ["Keep backups for (days) must be at least 7"],
    });
    expect(await local(purchase.subscriptionId)).toMatchObject({ setupState: "pending", accountConfig: null });

    expect(
      await completeSetup({
        subscriptionId: purchase.subscriptionId,
        accountConfig: { ...base, devicesPerUser: "2", retentionDays: "90", customerManagedKey: "on" },
        actor: alice,
      }),
    ).toMatchObject({ outcome: "completed" });
    expect((await local(purchase.subscriptionId)).accountConfig).toEqual({
      companyName: "Fabrikam",
      contactName: "Alice Admin",
      contactEmail: "alice@fabrikam.example",
      // A required select left empty takes the catalog's default.
      region: "westeurope",
      retentionDays: 90,
      customerManagedKey: true,
      devicesPerUser: 2,
      acceptTerms: true,
    });
  });
});
