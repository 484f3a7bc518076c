import { expect, test } from "@playwright/test";
import { seeded } from "../tests/support/sandbox-env";
import { configureAndActivate, sandbox, sandboxUrl, signInAs } from "./support";

test.describe("a purchase made with a personal Microsoft account", () => {
  test("the buyer signs in as their personal account, is offered their Azure directory, signs in there and activates", async ({
    page,
  }) => {
    await page.goto(`${sandboxUrl}/purchase`);
    await page.getByLabel("Offer and plan").selectOption("contoso-analytics/pro-seats");
    await page.getByLabel("Seats").fill("2");
    // Maya buys as her user object in the directory Azure created for her account, never as her personal identity.
    await expect(
      page.getByLabel("Buyer").locator(`option[value="${seeded.mayaPersonal.tid}/${seeded.mayaPersonal.oid}"]`),
    ).toHaveCount(0);
    await page.getByLabel("Buyer").selectOption(`${seeded.maya.tid}/${seeded.maya.oid}`);
    const name = `Maya's analytics e2e ${Date.now()}`;
    await page.getByLabel("Subscription name").fill(name);
    await page.getByRole("button", { name: "Buy" }).click();
    await expect(page).toHaveURL(/\/landing\?token=/);
    const landing = page.url();

    // /common signs a personal account in to the tenant of personal accounts, with another oid.
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, seeded.maya.email);
    await expect(page.getByRole("heading", { name: "This subscription belongs to another account" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Did you make this purchase?" })).toBeVisible();
    await expect(page.getByText("You signed in with a personal Microsoft account.")).toBeVisible();
    await expect(page.getByTestId("offered-tenant-id")).toHaveText(seeded.mayasDirectory);
    await expect(page.getByText(name)).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath("personal-account-offer.png"), fullPage: true });

    // Her Azure directory signs her in without the form (the sandbox session is her account's).
    await page.getByRole("button", { name: "Sign in to your Azure directory" }).click();
    await expect(page).toHaveURL(landing);
    await expect(page.getByTestId("subscription-name")).toHaveText(name);
    await expect(page.getByTestId("signed-in-as")).toHaveText(seeded.maya.email);
    await expect(page.getByTestId("purchaser")).toHaveText(seeded.maya.email);

    await configureAndActivate(page, "Maya's studio");
    await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible();
    const subscriptionId = new URL(page.url()).searchParams.get("subscription") ?? "";
    expect((await sandbox.subscription(subscriptionId)).subscription.saasSubscriptionStatus).toBe("Subscribed");

    await page.goto("/account");
    await expect(
      page.getByTestId("account-subscription").filter({ hasText: name }).getByTestId("subscription-status"),
    ).toHaveText("Active");
  });

  test("a work account of another organisation is offered that organisation by domain, and only the owner gets in", async ({
    page,
  }) => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "basic",
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
      name: "Fabrikam only",
    });
    await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, seeded.nina.email);
    await expect(page.getByRole("heading", { name: "This subscription belongs to another account" })).toBeVisible();
    await expect(page.getByText("alice@fabrikam.example")).toHaveCount(0);

    // Fabrikam's own sign-in page: Nina is not a member there; Alice is, and the purchase is hers.
    await page.getByRole("button", { name: "Sign in to fabrikam.example" }).click();
    await expect(page.getByText("which is not an account of Fabrikam, Inc.")).toBeVisible();
    await signInAs(page, seeded.alice.email);
    await expect(page.getByTestId("subscription-name")).toHaveText("Fabrikam only");
    await expect(page.getByTestId("signed-in-as")).toHaveText(seeded.alice.email);
  });

  test("a tenant sign-in callback without its cookie is explained, not finished", async ({ page }) => {
    await page.goto("/api/auth/callback/microsoft-entra-id-tenant?code=forged&state=forged");
    await expect(page).toHaveURL(/\/signin\?error=TenantSignIn/);
    await expect(page.getByText("took too long or was started in another browser")).toBeVisible();
  });
});
