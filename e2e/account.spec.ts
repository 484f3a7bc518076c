import { expect, test, type Page } from "@playwright/test";
import { seeded } from "../tests/support/sandbox-env";
import { buyAndActivate, sandbox, signInAs } from "./support";

const activate = (page: Page, name: string, options: { csp?: boolean } = {}) =>
  buyAndActivate(page, {
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    name,
    ...(options.csp ? { csp: true, purchaser: { tid: seeded.carl.tid, oid: seeded.carl.oid } } : {}),
  });

test("a customer changes plan, then seats, then cancels; the page follows each change by itself", async ({ page }) => {
  const name = `Self-service e2e ${Date.now()}`;
  const id = await activate(page, name);
  await page.goto("/account");
  await page.getByRole("link", { name }).click();
  await expect(page.getByTestId("plan")).toHaveText("Professional (per user)");

  // Only the plans Microsoft offers for this subscription (the other offer's plans are absent).
  await expect(page.getByRole("radio")).toHaveCount(3);
  await expect(page.getByText("Standard")).toHaveCount(0);
  await page.getByRole("radio", { name: /Enterprise \(per user, annual\)/ }).check();
  await page.getByRole("button", { name: "Review plan change" }).click();
  // What the change does, before it is sent (e2e/plan-disclosure.spec.ts looks closer).
  await expect(page.getByTestId("consequences")).toContainText("you will have 10 seats instead of 5");
  await page.getByRole("button", { name: "Confirm change to Enterprise (per user, annual)" }).click();
  await expect(page.getByTestId("pending-change")).toContainText("Plan change in progress");
  await expect(page.getByRole("button", { name: "Review plan change" })).toHaveCount(0); // a second change is explained, not offered
  await expect(page.getByTestId("plan")).toHaveText("Enterprise (per user, annual)", { timeout: 30_000 });
  await expect(page.getByTestId("pending-change")).toHaveCount(0);
  expect((await sandbox.subscription(id)).subscription.planId).toBe("enterprise-seats");

  // Seats: validated in the browser against the plan's limits first.
  await page.getByLabel("Number of seats").fill("3");
  await page.getByRole("button", { name: "Review seat change" }).click();
  await expect(page.getByText("This plan needs at least 10 seats.")).toBeVisible();
  await page.getByLabel("Number of seats").fill("25");
  await page.getByRole("button", { name: "Review seat change" }).click();
  await expect(page.getByTestId("consequences")).toContainText("You will have 25 seats instead of 10.");
  await page.getByRole("button", { name: "Confirm 25 seats" }).click();
  await expect(page.getByTestId("pending-change")).toContainText("Seat change in progress");
  await expect(page.getByTestId("pending-change")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("failed-change")).toHaveCount(0); // would say why Microsoft refused
  await expect(page.getByTestId("seats")).toHaveText("25");

  // Cancel: a confirmation step that says what happens.
  await page.getByRole("link", { name: "Cancel subscription…" }).click();
  await expect(page.getByText(/data is kept for 30 days/)).toBeVisible();
  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page.getByText("Tick the box to confirm the cancellation.")).toBeVisible();
  await page.getByLabel(/I understand that cancelling/).check();
  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page.getByTestId("subscription-status")).toHaveText("Cancelled", { timeout: 30_000 });
  await expect(page.getByText(/This subscription is cancelled/)).toBeVisible();
  expect((await sandbox.subscription(id)).subscription.saasSubscriptionStatus).toBe("Unsubscribed");
});

test("a CSP purchase shows no change controls; a user of another tenant cannot see it", async ({ page }) => {
  const id = await activate(page, "CSP read-only", { csp: true });
  await page.goto(`/account/subscriptions/${id}`);
  await expect(page.getByRole("button", { name: "Review plan change" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Review seat change" })).toHaveCount(0);
  await expect(page.getByText(/managed by the Microsoft partner/).first()).toBeVisible();

  await page.context().clearCookies(); // a different person on this machine
  await page.goto(`/account/subscriptions/${id}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, "nina@northwind.example");
  await expect(page.getByText("CSP read-only")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: /not found|could not be found/i })).toBeVisible();
  await page.goto("/account");
  await expect(page.getByText("CSP read-only")).toHaveCount(0);
});
