/**
 * An auto-activated purchase (marketplace-contract.md §4.7, docs/decisions/0008) in the browser:
 * the sandbox makes the subscription Subscribed at once and sends the `Subscribe` webhook; the
 * portal records it before the buyer lands; the buyer finishes the account setup (no Activate);
 * the console shows it. And the buyer who did not finish: the account page's banner.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { seeded } from "../tests/support/sandbox-env";
import { databaseStatus, fillAccountForm, sandbox, sandboxUrl, signInAs } from "./support";

async function signInTo(page: Page, path: string, email: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, email);
}

/** A publisher admin's page in its own browser context (its own session). */
async function adminPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  await signInTo(page, "/admin", "paula@contoso-software.example");
  await expect(page.getByRole("heading", { name: "Marketplace dashboard" })).toBeVisible();
  return page;
}

test("an auto-activated purchase is recorded by the webhook before the buyer lands; the buyer finishes the setup without Activate", async ({
  page,
  browser,
}) => {
  // Buy in the sandbox's purchase page: the plan says it starts at once.
  await page.goto(`${sandboxUrl}/purchase`);
  await page.getByLabel("Offer and plan").selectOption("contoso-backup/team-auto");
  await page.getByLabel("Seats").fill("6");
  await page.getByLabel("Buyer").selectOption(`${seeded.alice.tid}/${seeded.alice.oid}`);
  const name = `Fabrikam backup e2e ${Date.now()}`; // unique, so the test can repeat on one database
  await page.getByLabel("Subscription name").fill(name);
  await page.getByRole("button", { name: "Buy" }).click();
  await expect(page).toHaveURL(/\/landing\?token=/);
  await expect(page.getByRole("heading", { name: "Thanks for your purchase" })).toBeVisible();

  // Before the buyer signs in (nothing resolved yet), the console already has it: the webhook did it.
  const admin = await adminPage(browser);
  const row = admin.getByTestId("subscription-row").filter({ hasText: name });
  await expect(async () => {
    await admin.goto(`/admin/subscriptions?q=${encodeURIComponent(name)}&setup=pending`);
    await expect(row).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(row.getByTestId("auto-activated")).toBeVisible();
  await expect(row.getByTestId("setup-pending")).toContainText(/setup pending for (less than a minute|\d+ minutes?)/);
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "Subscribed");
  await admin.screenshot({ path: test.info().outputPath("admin-list-setup-pending.png"), fullPage: true });
  const id = ((await row.locator(".font-mono").first().textContent()) ?? "").trim();
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  if (process.env.E2E_DATABASE_URL) expect(await databaseStatus(id)).toBe("Subscribed");
  const since = new Date();

  // The buyer lands, signs in, and is asked to finish the setup of an active subscription.
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, "alice@fabrikam.example");
  await expect(page.getByTestId("subscription-name")).toHaveText(name);
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  await expect(page.getByRole("heading", { name: "Finish setting up your account" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Activate subscription" })).toHaveCount(0);
  await expect(page.getByTestId("seats")).toHaveText("6 users");
  await page.screenshot({ path: test.info().outputPath("landing-finish-setup.png"), fullPage: true });

  // The plan's own field (config/catalog.json: team-auto adds “Devices per user”, 1 to 3).
  await expect(page.getByTestId("plan")).toHaveText("Team (per user)");
  await fillAccountForm(page);
  await page.getByLabel("Devices per user").fill("3");
  await page.getByLabel("Primary backup region").selectOption({ label: "North Europe" });
  await page.getByRole("button", { name: "Save and finish setup" }).click();
  await expect(page.getByRole("heading", { name: "Your account is set up" })).toBeVisible();
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  // Microsoft never got an Activate call for it.
  expect(await sandbox.calls({ operation: "activate", subscriptionId: id })).toEqual([]);
  expect((await sandbox.calls({ since, subscriptionId: id })).map((call) => call.operation)).not.toContain("activate");

  // Landing again ("Manage"): set up, nothing to do.
  const manage = await sandbox.newToken(id);
  await page.goto(manage.landingUrl.replace(/^https?:\/\/[^/]+/, ""));
  await expect(page.getByRole("heading", { name: "Your account is set up" })).toBeVisible();

  // The console: auto-activated, setup complete, the Subscribe webhook and the setup in the timeline.
  await admin.goto(`/admin/subscriptions/${id}`);
  await expect(admin.getByTestId("activated-by")).toHaveText("Microsoft, at purchase (auto-activated)");
  await expect(admin.getByTestId("setup-state")).toHaveText("Complete");
  await expect(admin.getByTestId("marketplace-status")).toHaveText("Subscribed");
  const timeline = admin.getByTestId("timeline");
  await expect(timeline.getByRole("link", { name: "Webhook Subscribe" })).toBeVisible();
  await expect(timeline.getByText("purchase completed", { exact: true })).toBeVisible();
  await expect(timeline.getByText("setup completed", { exact: true })).toBeVisible();
  // Offer, plan and the account configuration, named and labelled by the catalog.
  await expect(admin.getByTestId("admin-offer")).toHaveText("Contoso Cloud Backup");
  await expect(admin.getByTestId("admin-plan")).toHaveText("Team (per user)");
  const config = admin.getByTestId("account-config");
  await expect(config.locator('[data-config-field="contactName"]')).toHaveText("Alice Admin");
  await expect(config.locator('[data-config-field="region"]')).toHaveText("North Europe");
  await expect(config.locator('[data-config-field="devicesPerUser"]')).toHaveText("3");
  await expect(config.locator('[data-config-field="customerManagedKey"]')).toHaveText("No");
  await admin.screenshot({ path: test.info().outputPath("admin-auto-activated.png"), fullPage: true });
  await admin.context().close();
});

test("a buyer who did not finish the setup sees a banner on the account pages and finishes it there", async ({
  page,
}) => {
  const name = `Backup banner e2e ${Date.now()}`;
  const purchase = await sandbox.purchase({
    offerId: "contoso-backup",
    planId: "standard-auto",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    name,
  });
  expect(purchase.autoActivated).toBe(true);
  await signInTo(page, "/account", "alice@fabrikam.example");
  // Known from the webhook alone: the buyer never opened the landing page.
  const card = page.getByTestId("account-subscription").filter({ hasText: name });
  await expect(async () => {
    await page.goto("/account");
    await expect(card.getByTestId("finish-setup-banner")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });

  await page.screenshot({ path: test.info().outputPath("account-finish-setup-banner.png"), fullPage: true });
  await card.getByRole("link", { name }).click();
  await expect(page.getByTestId("finish-setup-banner")).toBeVisible();
  await expect(page.getByTestId("term")).toHaveText("1 month");
  await page.screenshot({ path: test.info().outputPath("account-detail-finish-setup.png"), fullPage: true });
  await page.getByTestId("finish-setup-banner").getByRole("link", { name: "Finish setup" }).click();
  await expect(page).toHaveURL(new RegExp(`/account/subscriptions/${purchase.subscriptionId}/setup$`));
  await expect(page.getByRole("heading", { name: "Finish setting up your account" })).toBeVisible();
  await page.getByLabel("Company name").fill("");
  await page.getByRole("button", { name: "Save and finish setup" }).click();
  await expect(page.getByText("Company name is required")).toBeVisible();
  await fillAccountForm(page);
  await page.getByRole("button", { name: "Save and finish setup" }).click();
  await expect(page.getByRole("heading", { name: "Your account is set up" })).toBeVisible();

  await page.goto("/account");
  await expect(card).toBeVisible();
  await expect(card.getByTestId("finish-setup-banner")).toHaveCount(0);
  await page.goto(`/account/subscriptions/${purchase.subscriptionId}/setup`);
  await expect(page.getByText("Your account is set up. Nothing else to do here.")).toBeVisible();
  expect(await sandbox.calls({ operation: "activate", subscriptionId: purchase.subscriptionId })).toEqual([]);
});
