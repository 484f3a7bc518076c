/**
 * The landing page's resolve step for a purchase made with a personal Microsoft account, against
 * the running sandbox and a real database: signed in through /common (the tenant of personal
 * accounts) the buyer is not a party, and is told which tenant to sign in to; signed in to that
 * tenant, the same person resolves the purchase.
 */
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { resolvePurchase } from "./resolve-purchase";

const sandbox = sandboxControl();
const actor = (user: { tid: string; oid: string; email: string }) => ({ ...user, roles: [] });

afterAll(async () => {
  await disconnectDatabase();
});

async function notOwner(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isAppError(error, "not_owner")) throw new Error(`expected not_owner, got ${String(error)}`);
  return error;
}

describe("a purchase made with a personal Microsoft account", () => {
  it("is not resolved for the personal identity, which is offered the purchase's tenant; it is for the member there", async () => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 2,
      beneficiary: { tid: seeded.maya.tid, oid: seeded.maya.oid },
      name: "Maya's analytics",
    });

    const refused = await notOwner(resolvePurchase({ token: purchase.token, actor: actor(seeded.mayaPersonal) }));
    expect(refused.tenantHints).toEqual([{ tenantId: seeded.mayasDirectory, domain: "outlook.example" }]);
    expect(await db().subscription.findUnique({ where: { id: purchase.subscriptionId } })).toBeNull();

    const view = await resolvePurchase({ token: purchase.token, actor: actor(seeded.maya) });
    expect(view).toMatchObject({
      subscriptionId: purchase.subscriptionId,
      purchaser: { email: seeded.maya.email, tenantId: seeded.mayasDirectory },
      beneficiary: { tenantId: seeded.mayasDirectory },
    });
    expect(await db().subscription.findUniqueOrThrow({ where: { id: purchase.subscriptionId } })).toMatchObject({
      beneficiaryObjectId: seeded.maya.oid,
      purchaserObjectId: seeded.maya.oid,
    });
  });

  it("offers nothing to another user of the purchase's own tenant, and a work account of another tenant only that tenant", async () => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "basic",
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    });
    expect((await notOwner(resolvePurchase({ token: purchase.token, actor: actor(seeded.bob) }))).tenantHints).toEqual(
      [],
    );
    expect((await notOwner(resolvePurchase({ token: purchase.token, actor: actor(seeded.nina) }))).tenantHints).toEqual(
      [{ tenantId: seeded.fabrikam, domain: "fabrikam.example" }],
    );
  });
});
