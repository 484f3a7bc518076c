/**
 * The whole loop a newcomer walks through locally (README walkthrough, last steps): an admin
 * registers the sandbox's sample product as an event endpoint and gives it the secret; a buyer
 * purchases, activates and presses "Open <product>": the sample product verifies the portal's
 * signed hand-off and shows who arrived and what they bought; a plan change made on Microsoft's
 * side arrives at the product as a verified event. A token the product refuses gets a clear page.
 */
import { expect, test, type Page } from "@playwright/test";
import { buyAndActivate, sandbox, sandboxUrl, signInAs } from "./support";

async function signInTo(page: Page, path: string, email: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, email);
}

const eventsUrl = `${sandboxUrl}/product/events`;

test("purchase → activate → Open the product (verified buyer and plan) → a plan change arrives as a verified event", async ({
  page,
}) => {
  await sandbox.productSettings({ jwksUrl: null, issuer: null, audience: null });
  await sandbox.clearProductHistory();

  // The publisher connects the product: an endpoint for its events URL, its secret into the product.
  await signInTo(page, "/admin/events", "paula@contoso-software.example");
  await page.getByLabel("URL").fill(eventsUrl);
  await page.getByLabel(/Description/).fill("Sample product (sandbox)");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secret = await page.getByTestId("new-endpoint-secret").inputValue();
  expect(secret).toMatch(/^whsec_/);
  await page.goto(`${sandboxUrl}/product/settings`);
  await page.getByLabel("Event endpoint secrets").fill(secret);
  await page.getByRole("button", { name: "Save secrets" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.context().clearCookies();

  // The buyer: purchase, activate, open the product.
  const subscriptionId = await buyAndActivate(page, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 5 });
  await page.screenshot({ path: test.info().outputPath("activated-open-product.png"), fullPage: true });
  await page.getByRole("button", { name: "Open Contoso Analytics" }).click();
  await page.waitForURL(`${sandboxUrl}/product`);
  await expect(page.getByRole("heading", { name: "Welcome, Alice Admin" })).toBeVisible();
  await expect(page.getByTestId("verified")).toContainText("The hand-off token was verified");
  await expect(page.getByTestId("arrived-email")).toHaveText("alice@fabrikam.example");
  await expect(page.getByTestId("arrived-offer")).toHaveText("Contoso Analytics");
  await expect(page.getByTestId("arrived-plan")).toHaveText("Professional (per user)");
  await expect(page.getByTestId("arrived-seats")).toHaveText("5");
  await expect(page.getByTestId("arrived-subscription")).toHaveText(subscriptionId);
  await expect(page.getByTestId("features").getByRole("row", { name: "maxProjects 50" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("product-arrival.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: test.info().outputPath("product-arrival-narrow.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // A reload shows the page again (post/redirect/get); the used token is never posted twice.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Welcome, Alice Admin" })).toBeVisible();

  // The account page opens the product too, with a fresh token.
  await page.goto(`/account/subscriptions/${subscriptionId}`);
  await page.screenshot({ path: test.info().outputPath("account-open-product.png"), fullPage: true });
  await page.getByRole("button", { name: "Open Contoso Analytics" }).click();
  await page.waitForURL(`${sandboxUrl}/product`);
  await expect(page.getByTestId("arrived-plan")).toHaveText("Professional (per user)");

  // A plan change on Microsoft's side reaches the product as a verified Standard Webhooks event.
  await sandbox.act(subscriptionId, "ChangePlan", { planId: "enterprise-seats" });
  await page.goto(eventsUrl);
  const planChanged = page.locator('tr[data-type="subscription.plan_changed"][data-verified="true"]');
  await expect(async () => {
    await page.reload();
    await expect(planChanged).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 45_000 });
  await expect(planChanged).toContainText("plan Enterprise (per user, annual)");
  await expect(planChanged).toContainText("changed: plan pro-seats → enterprise-seats");
  await expect(page.locator('tr[data-type="subscription.activated"][data-verified="true"]')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath("product-events.png"), fullPage: true });
});

test("the sample product refuses an altered hand-off with a clear page, and signs nobody in", async ({ page }) => {
  // A token whose signature does not match (as if someone edited the seats): posted as the portal's page would.
  const header = Buffer.from(JSON.stringify({ alg: "ES256", kid: "any", typ: "handoff+jwt" })).toString("base64url");
  const body = Buffer.from(JSON.stringify({ sub: "x", seats: 500 })).toString("base64url");
  await page.setContent(
    `<form method="post" action="${sandboxUrl}/product"><input name="handoff_token" value="${header}.${body}.c2lnbmF0dXJl"><button>Go</button></form>`,
  );
  await page.getByRole("button", { name: "Go" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    /This hand-off (was altered|is signed with an unknown key)/,
  );
  await expect(page.getByTestId("refused")).toContainText("The sign-in was refused.");
  await expect(page.getByRole("link", { name: "My subscriptions" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("product-refused.png"), fullPage: true });
});

test("a cancelled subscription: the buyer's page and the console say when its personal data is removed", async ({
  page,
}) => {
  const subscriptionId = await buyAndActivate(page, { offerId: "contoso-analytics", planId: "basic" });
  await sandbox.act(subscriptionId, "Unsubscribe");
  await page.goto(`/account/subscriptions/${subscriptionId}`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("This subscription is cancelled.")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText(/Your data is kept until .+, then deleted\./)).toBeVisible();
  await expect(page.getByRole("button", { name: /^Open / })).toHaveCount(0);

  await page.context().clearCookies();
  await signInTo(page, `/admin/subscriptions/${subscriptionId}`, "paula@contoso-software.example");
  // A moment to the second in the admin's time zone ("Dec 30, 2026, 07:15:09 AM").
  await expect(page.getByTestId("data-purge")).toContainText(
    /Removed after [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2}:\d{2} [AP]M/,
  );
  await page.screenshot({ path: test.info().outputPath("admin-data-retention.png"), fullPage: true });
  await page.goto(`/admin/subscriptions?q=${subscriptionId}`);
  await expect(page.getByTestId("subscription-row").getByTestId("data-purge")).toHaveText(
    /personal data removed after [A-Z][a-z]+ \d{1,2}, \d{4}/,
  );
});
