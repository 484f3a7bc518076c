/**
 * The whole purchase path in the browser with every variant of Microsoft's behaviour the sandbox
 * can play turned on at once (text bodies, bare arrays, unknown fields, slow activation, lost
 * answers to PATCH/DELETE and to acknowledgements, changes applied late, webhooks out of order, 429
 * without Retry-After, HTML gateway pages, 202s without Operation-Location, NotStarted operations).
 * The buyer never sees a false failure, and each change reaches Microsoft exactly once.
 */
import { expect, test } from "@playwright/test";
import { configureAndActivate, sandbox, signInAs } from "./support";

test.beforeEach(async () => {
  await sandbox.variants("all");
});
test.afterEach(async () => {
  await sandbox.variants([]);
});

test("with every sandbox variant on: buy, activate, a marketplace change, plan and seat changes, cancel", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const started = new Date();
  const name = `Variants e2e ${Date.now()}`;
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    name,
    beneficiary: { tid: "22222222-2222-4222-8222-222222222222", oid: "b2000000-0000-4000-8000-000000000001" },
  });
  const id = purchase.subscriptionId;
  await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, "alice@fabrikam.example");
  await configureAndActivate(page);
  // Slow activation: the page follows it to the end by itself.
  await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible({ timeout: 30_000 });

  await page.goto(`/account/subscriptions/${id}`);
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");

  // Microsoft's side: the customer adds seats in the Azure portal (acknowledgement answer lost, applied late).
  await sandbox.act(id, "ChangeQuantity", { quantity: 8 });
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("seats")).toHaveText("8", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });

  // Our side: a plan change, then seats (PATCH answers lost).
  await page.getByRole("radio", { name: /Enterprise \(per user, annual\)/ }).check();
  await page.getByRole("button", { name: "Review plan change" }).click();
  await expect(page.getByTestId("consequences")).toContainText("you will have 10 seats instead of 8");
  await page.getByRole("button", { name: "Confirm change to Enterprise (per user, annual)" }).click();
  await expect(page.getByTestId("pending-change")).toContainText("Plan change in progress");
  await expect(page.getByTestId("plan")).toHaveText("Enterprise (per user, annual)", { timeout: 30_000 });
  await expect(page.getByTestId("pending-change")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("failed-change")).toHaveCount(0);
  // With delayed-apply, Microsoft shows the annual term only a moment after the change succeeded:
  // the page keeps following (and says so) until it does, with no reload.
  await page.screenshot({ path: test.info().outputPath("plan-change-awaiting-microsoft.png"), fullPage: true });
  await expect(page.getByTestId("term")).toHaveText("1 year", { timeout: 30_000 });
  await expect(page.getByTestId("awaiting-microsoft")).toHaveCount(0, { timeout: 30_000 });

  await page.getByLabel("Number of seats").fill("25");
  await page.getByRole("button", { name: "Review seat change" }).click();
  await page.getByRole("button", { name: "Confirm 25 seats" }).click();
  await expect(page.getByTestId("pending-change")).toContainText("Seat change in progress");
  await expect(page.getByTestId("pending-change")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("failed-change")).toHaveCount(0);
  await expect(page.getByTestId("seats")).toHaveText("25");

  // Cancel (DELETE answer lost).
  await page.getByRole("link", { name: "Cancel subscription…" }).click();
  await page.getByLabel(/I understand that cancelling/).check();
  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page.getByTestId("subscription-status")).toHaveText("Cancelled", { timeout: 30_000 });

  // Each customer change reached Microsoft exactly once (a try the gateway refused with 429 never reached it).
  const calls = (await sandbox.calls(started)).filter(
    (call) => call.path.startsWith(`/api/saas/subscriptions/${id}?`) && call.answeredBy === undefined,
  );
  expect(calls.filter((call) => call.method === "PATCH")).toHaveLength(2);
  expect(calls.filter((call) => call.method === "DELETE")).toHaveLength(1);
  // Microsoft's operations: its own seat change, and our three, one each.
  const atMicrosoft = (await sandbox.subscription(id)).operations;
  expect(atMicrosoft.map((operation) => operation.action).sort()).toEqual([
    "ChangePlan",
    "ChangeQuantity",
    "ChangeQuantity",
    "Unsubscribe",
  ]);
  expect(atMicrosoft.every((operation) => operation.status === "Succeeded")).toBe(true);
});
