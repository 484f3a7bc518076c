import { expect, test, type Page } from "@playwright/test";
import { awayFromHourBoundary } from "../tests/support/clock";
import { buyAndActivate, sandbox, signInAs } from "./support";

const HOUR = 3_600_000;

async function signInTo(page: Page, path: string, email: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, email);
}

/** Opens a console action's confirmation step, ticks the box and confirms. */
async function confirmAction(page: Page, label: string) {
  await page.getByText(`${label}…`, { exact: true }).click();
  await page.getByLabel(`Yes, ${label.toLowerCase()}`).check();
  await page.getByRole("button", { name: `Confirm: ${label}` }).click();
}

test.afterEach(async () => {
  await sandbox.variants([]);
  await sandbox.clearUsageReconciliation();
});

test("an admin checks with Microsoft and sees the hour it rejected, with both sides' quantities", async ({
  page,
  context,
}) => {
  // Hours are computed here, in the portal and in the sandbox: stay inside one hour.
  await awayFromHourBoundary();
  const name = `Reconciliation e2e ${Date.now()}`;
  const subscriptionId = await buyAndActivate(page, { offerId: "contoso-analytics", planId: "basic", name });

  // The product reports usage for two closed hours with a new key, and the admin bills them now.
  await context.clearCookies();
  await signInTo(page, "/admin/api-keys", "paula@contoso-software.example");
  await page.getByLabel("Name", { exact: true }).fill(`Reconciliation e2e ${Date.now()}`);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("new-api-key").inputValue();
  const rejectedHour = new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR);
  const matchedHour = new Date(rejectedHour.getTime() - HOUR);
  const reported = await page.request.post("/api/usage", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      records: [
        { hour: rejectedHour, quantity: 3, key: "a" },
        { hour: matchedHour, quantity: 2, key: "b" },
      ].map((r) => ({
        subscriptionId,
        dimension: "reports",
        quantity: r.quantity,
        effectiveAt: new Date(r.hour.getTime() + 5 * 60_000).toISOString(),
        idempotencyKey: `${subscriptionId}-${r.key}`,
      })),
    },
  });
  expect(reported.status()).toBe(202);
  await page.goto("/admin/usage");
  await confirmAction(page, "Submit closed hours now");
  await expect.poll(async () => (await sandbox.usageEvents(subscriptionId)).length, { timeout: 20_000 }).toBe(2);

  // Microsoft reports per hour, and rejects one of them.
  await sandbox.variants(["hourly-usage-events"]);
  await sandbox.setUsageReconciliation({
    subscriptionId,
    dimension: "reports",
    hour: rejectedHour,
    reconStatus: "Rejected",
  });

  // From the usage page to the reconciliation page, where the admin asks Microsoft now.
  await page.goto("/admin/usage");
  await page.getByTestId("usage-reconciliation-link").getByRole("link", { name: "usage reconciliation" }).click();
  await expect(page.getByRole("heading", { name: "Usage reconciliation with Microsoft" })).toBeVisible();
  await confirmAction(page, "Check with Microsoft now");
  await expect(page.getByRole("status").filter({ hasText: /Check queued|already waiting/ })).toBeVisible();

  const rejected = page.locator(
    `[data-testid="recon-row"][data-subscription="${subscriptionId}"][data-period-start="${rejectedHour.toISOString()}"]`,
  );
  await expect(async () => {
    await page.goto("/admin/usage/reconciliation");
    await expect(rejected).toHaveAttribute("data-outcome", "rejected", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(rejected).toHaveAttribute("data-period", "hour");
  await expect(rejected.getByRole("link", { name })).toBeVisible();
  await expect(rejected).toContainText("Contoso Analytics · Basic");
  await expect(rejected).toContainText("Rejected by Microsoft");
  await expect(rejected.getByTestId("recon-ours")).toContainText("3");
  await expect(rejected.getByTestId("recon-submitted")).toHaveText("3");
  await expect(rejected.getByTestId("recon-processed")).toHaveText("0");
  await expect(rejected.getByTestId("recon-status")).toHaveText("Rejected");
  await page.screenshot({ path: "test-results/usage-reconciliation.png", fullPage: true });

  // The matched hour is not in "Needs attention", but is under "All" for this subscription.
  const matched = `[data-testid="recon-row"][data-subscription="${subscriptionId}"][data-period-start="${matchedHour.toISOString()}"]`;
  await expect(page.locator(matched)).toHaveCount(0);
  await page.getByLabel("Subscription id").fill(subscriptionId);
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByRole("link", { name: /^All \(/ }).click();
  await expect(page.locator(matched)).toHaveAttribute("data-outcome", "matched");
  await expect(page.locator(`[data-testid="recon-row"]`)).toHaveCount(2);

  // The dashboard lists it under "Needs attention".
  await page.goto("/admin");
  await page.locator('[data-testid="attention"] [data-key="usage-reconciliation"] a').click();
  await expect(page).toHaveURL(/\/admin\/usage\/reconciliation$/);
  await expect(rejected).toBeVisible();

  // The usage pages point to it: the overview's attention list and the subscription's own page.
  await page.goto("/admin/usage");
  await expect(page.getByTestId("usage-attention-reconciliation")).toContainText("in Microsoft's usage report");
  await page.goto(`/admin/usage/${subscriptionId}`);
  await expect(page.getByTestId("usage-findings")).toContainText("1 finding");
  await page.getByTestId("usage-findings").getByRole("link", { name: "See what Microsoft reports" }).click();
  await expect(rejected).toBeVisible();
  await expect(page.locator('[data-testid="recon-row"]')).toHaveCount(1);

  // A publisher user without the admin role sees nothing.
  await context.clearCookies();
  await signInTo(page, "/account", "pete@contoso-software.example");
  expect((await page.goto("/admin/usage/reconciliation"))?.status()).toBe(404);
});
