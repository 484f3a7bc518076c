import { expect, test } from "@playwright/test";
import { seeded } from "../tests/support/sandbox-env";
import { configureAndActivate, databaseStatus, sandbox, sandboxUrl, signInAs } from "./support";

test.describe("landing page → activation", () => {
  test("a buyer buys in the sandbox, lands, signs in, configures and activates", async ({ page }) => {
    await page.goto(`${sandboxUrl}/purchase`);
    await page.getByLabel("Offer and plan").selectOption("contoso-analytics/pro-seats");
    await page.getByLabel("Seats").fill("7");
    await page.getByLabel("Buyer").selectOption(`${seeded.alice.tid}/${seeded.alice.oid}`);
    const name = `Fabrikam analytics e2e ${Date.now()}`; // unique, so the test can repeat on one database
    await page.getByLabel("Subscription name").fill(name);
    await page.getByRole("button", { name: "Buy" }).click();

    // Microsoft's "Configure account now": the portal's landing page with the purchase token.
    await expect(page).toHaveURL(/\/landing\?token=/);
    const token = new URL(page.url()).searchParams.get("token") ?? "";
    expect(token).toMatch(/[+/=]/);
    await expect(page.getByRole("heading", { name: "Thanks for your purchase" })).toBeVisible();
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, "alice@fabrikam.example");

    // Back on the landing page with the same token: the purchase is resolved server-side.
    await expect(page).toHaveURL(/\/landing\?token=/);
    expect(new URL(page.url()).searchParams.get("token")).toBe(token);
    await expect(page.getByTestId("subscription-name")).toHaveText(name);
    await expect(page.getByTestId("plan")).toHaveText("Professional (per user)");
    await expect(page.getByTestId("seats")).toHaveText("7 users");
    // Names from the offer catalog, and the terms the buyer accepts are the offer's.
    await expect(page.getByTestId("offer")).toHaveText("Contoso Analytics");
    await expect(page.getByRole("link", { name: "terms of service" })).toHaveAttribute(
      "href",
      "https://contoso.example/analytics/terms",
    );
    await expect(page.getByRole("link", { name: "privacy statement" })).toHaveAttribute(
      "href",
      "https://contoso.example/privacy",
    );
    await expect(page.getByTestId("purchaser")).toHaveText("alice@fabrikam.example");
    await expect(page.getByTestId("beneficiary")).toHaveText("alice@fabrikam.example");
    await expect(page.getByTestId("subscription-status")).toHaveText("Waiting for activation");
    await expect(page.getByTestId("signed-in-as")).toHaveText("alice@fabrikam.example");
    const subscriptionId = (await page.getByTestId("subscription-id").textContent()) ?? "";

    // The offer's own fields (config/catalog.json), checked in the browser before anything is sent:
    // with the schema's chunk loaded after hydration (bench/first-load-js.ts), nothing is posted.
    await expect(page.getByLabel("Data region")).toHaveValue("eu");
    await expect(page.locator("form[data-browser-check]")).toHaveAttribute("data-browser-check", "ready");
    const posts: string[] = [];
    const recordPost = (request: { method(): string; url(): string }) => {
      if (request.method() === "POST") posts.push(request.url());
    };
    page.on("request", recordPost);
    await page.getByLabel("Workspace address").fill("Fabrikam Inc");
    await page.getByLabel("Expected number of users").fill("0");
    await page.getByRole("button", { name: "Activate subscription" }).click();
    await expect(page.getByText("Use lower-case letters, digits and hyphens; start with a letter")).toBeVisible();
    await expect(page.getByText("Expected number of users must be at least 1")).toBeVisible();
    page.off("request", recordPost);
    expect(posts, "the browser's check refused the form without posting it").toEqual([]);
    await page.getByLabel("Workspace address").fill("fabrikam-e2e");
    await page.getByLabel("Expected number of users").fill("7");
    await page.getByLabel("Data region").selectOption({ label: "United States (Virginia)" });
    await page.getByLabel(/Send me product news/).check();
    await page.screenshot({ path: test.info().outputPath("landing-account-form.png"), fullPage: true });

    await configureAndActivate(page);
    await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible();
    await expect(page.getByTestId("subscription-status")).toHaveText("Active");
    // The hand-off into the product (e2e/product-handoff.spec.ts follows it there).
    await expect(page.getByTestId("open-product")).toHaveText(/^Open /);

    expect((await sandbox.subscription(subscriptionId)).subscription.saasSubscriptionStatus).toBe("Subscribed");
    // On PostgreSQL the row is read directly; the embedded run sees it through the account page below.
    if (process.env.E2E_DATABASE_URL) expect(await databaseStatus(subscriptionId)).toBe("Subscribed");

    // Coming back through "Manage" with a fresh token shows the state instead of activating again.
    const manage = await sandbox.newToken(subscriptionId);
    await page.goto(manage.landingUrl.replace(/^https?:\/\/[^/]+/, ""));
    await expect(page.getByRole("heading", { name: "This subscription is already active" })).toBeVisible();
    await page.goto("/account");
    const row = page.getByTestId("account-subscription").filter({ hasText: name });
    await expect(row.getByTestId("subscription-status")).toHaveText("Active");
    await expect(row).toContainText("Contoso Analytics · Professional (per user)");

    // The account page shows what was stored, labelled as the form labels it.
    await row.getByRole("link", { name }).click();
    const details = page.getByTestId("account-config");
    await expect(details.locator('[data-config-field="subdomain"]')).toHaveText("fabrikam-e2e");
    await expect(details.locator('[data-config-field="region"]')).toHaveText("United States (Virginia)");
    await expect(details.locator('[data-config-field="seatsExpected"]')).toHaveText("7");
    await expect(details.locator('[data-config-field="productUpdates"]')).toHaveText("Yes");
    await page.screenshot({ path: test.info().outputPath("account-details.png"), fullPage: true });
  });

  test("a buyer from a second tenant activates a flat-rate plan; the form explains invalid input first", async ({
    page,
  }) => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "basic",
      beneficiary: { tid: seeded.nina.tid, oid: seeded.nina.oid },
      name: "Northwind analytics",
      isFreeTrial: true,
    });
    await page.goto(new URL(purchase.landingUrl).pathname + new URL(purchase.landingUrl).search);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, "nina@northwind.example");
    await expect(page.getByTestId("plan")).toHaveText("Basic");
    await expect(page.getByTestId("seats")).toHaveText("Flat rate (no per-user seats)");
    await expect(page.getByText("Free trial", { exact: true })).toBeVisible();

    await page.getByLabel("Company name").fill("");
    await page.getByLabel("Contact email").fill("not-an-email");
    await page.getByRole("button", { name: "Activate subscription" }).click();
    await expect(page.getByText("Company name is required")).toBeVisible();
    await expect(page.getByText("Enter a valid email address for contact email, like name@company.com")).toBeVisible();
    await expect(page.getByText("Please accept the terms of service to continue")).toBeVisible();
    expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
      "PendingFulfillmentStart",
    );

    await configureAndActivate(page, "Northwind Traders");
    await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible();
    expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
      "Subscribed",
    );
  });

  test("invalid, missing and expired tokens get a clear page with a way forward", async ({ page }) => {
    await page.goto("/landing");
    await expect(page.getByRole("heading", { name: "This link has no purchase token" })).toBeVisible();

    await page.goto(`/landing?token=${encodeURIComponent("forged+token/value==")}`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, "alice@fabrikam.example");
    await expect(page.getByRole("heading", { name: "This purchase link is invalid or has expired" })).toBeVisible();
    await expect(page.getByText("Configure account")).toBeVisible();

    const expired = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "basic",
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
      tokenTtlSeconds: 0,
    });
    await page.goto(`/landing?token=${encodeURIComponent(expired.token)}`);
    await expect(page.getByRole("heading", { name: "This purchase link is invalid or has expired" })).toBeVisible();
  });

  test("a signed-in user who does not own the subscription can neither see nor activate it", async ({ page }) => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 3,
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
      name: "Alice only",
    });
    await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, "nina@northwind.example");
    await expect(page.getByRole("heading", { name: "This subscription belongs to another account" })).toBeVisible();
    await expect(page.getByText("Alice only")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Activate subscription" })).toHaveCount(0);

    await page.goto(`/landing/activated?subscription=${purchase.subscriptionId}`);
    await expect(page.getByRole("heading", { name: "Subscription not found" })).toBeVisible();
    expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
      "PendingFulfillmentStart",
    );

    // The rightful buyer switches account and can proceed.
    await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
    await page.getByRole("button", { name: "Use a different account" }).click();
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, "alice@fabrikam.example");
    await expect(page.getByTestId("subscription-name")).toHaveText("Alice only");
  });

  test("a CSP purchase shows who pays and who uses it", async ({ page }) => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "enterprise-seats",
      quantity: 25,
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
      purchaser: { tid: seeded.carl.tid, oid: seeded.carl.oid },
      csp: true,
      name: "Fabrikam via partner",
    });
    await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, "alice@fabrikam.example");
    await expect(page.getByTestId("purchaser")).toHaveText("carl@adatum-csp.example");
    await expect(page.getByTestId("beneficiary")).toHaveText("alice@fabrikam.example");
    await expect(page.getByText("A Microsoft partner (CSP) bought this on your behalf.")).toBeVisible();
    await expect(page.getByTestId("seats")).toHaveText("25 users");
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-in and activation still work as plain form posts (server-side validation included)", async ({ page }) => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 2,
      beneficiary: { tid: seeded.bob.tid, oid: seeded.bob.oid },
      name: "No-JS purchase",
    });
    await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, "bob@fabrikam.example");
    await expect(page.getByTestId("subscription-name")).toHaveText("No-JS purchase");
    await page.getByLabel("Contact email").fill("not-an-email");
    await page.getByLabel("Workspace address").fill("Not A Subdomain");
    await page.getByRole("button", { name: "Activate subscription" }).click();
    // Refused by the server, a reason per field, what was typed kept.
    await expect(page.getByText("Enter a valid email address for contact email, like name@company.com")).toBeVisible();
    await expect(page.getByText("Use lower-case letters, digits and hyphens; start with a letter")).toBeVisible();
    await expect(page.getByLabel("Workspace address")).toHaveValue("Not A Subdomain");
    await page.getByLabel("Workspace address").fill("fabrikam-nojs");
    await configureAndActivate(page, "Fabrikam (no JS)");
    await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible();
    expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
      "Subscribed",
    );
  });
});
