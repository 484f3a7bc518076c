/**
 * Plan and seat changes say what they will do before the customer confirms (decisions/0010): in the
 * browser, through the real sign-in, against the sandbox. The seat-minimum case (8 seats on
 * Professional → Enterprise, which needs 10 and is annual), the term-change case (annual per user →
 * monthly flat), and a plan whose terms change between the review and the confirmation.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { buyAndActivate, sandbox } from "./support";

const screenshots = path.resolve(".data/screenshots");

/** "November 24, 2026", as the account pages write term dates in English (lib/i18n/formats.ts "day"). */
const day = (iso: string) =>
  new Intl.DateTimeFormat("en", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(iso),
  );

async function subscriptionPage(page: Page, planId: string, quantity: number, name: string) {
  const id = await buyAndActivate(page, { offerId: "contoso-analytics", planId, quantity, name });
  await page.goto(`/account/subscriptions/${id}`);
  await expect(page.getByRole("heading", { name })).toBeVisible();
  return id;
}

const patchesTo = async (id: string, since: Date) =>
  (await sandbox.calls(since)).filter(
    (call) => call.method === "PATCH" && call.path.startsWith(`/api/saas/subscriptions/${id}?`),
  );

async function screenshot(page: Page, name: string) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `${name}-desktop.png`), fullPage: true });
  const desktop = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: path.join(screenshots, `${name}-narrow.png`), fullPage: true });
  if (desktop) await page.setViewportSize(desktop);
}

test("8 seats on Professional → Enterprise: 10 seats instead of 8 and an annual term are shown before confirming, and are what the subscription gets", async ({
  page,
}) => {
  const id = await subscriptionPage(page, "pro-seats", 8, `Seat minimum e2e ${Date.now()}`);
  await expect(page.getByTestId("seats")).toHaveText("8");
  // The list says what each plan is before anything is chosen.
  await expect(page.getByText("Per user · 10–5,000 seats · 1 year · USD 240.00 per user per year")).toBeVisible();
  await screenshot(page, "plan-disclosure-subscription");

  const since = new Date();
  await page.getByRole("radio", { name: /Enterprise \(per user, annual\)/ }).check();
  await page.getByRole("button", { name: "Review plan change" }).click();
  await expect(
    page.getByRole("heading", { name: "Review your change to Enterprise (per user, annual)" }),
  ).toBeVisible();
  const consequences = page.getByTestId("consequences");
  await expect(consequences).toContainText(
    "Enterprise (per user, annual) needs at least 10 seats: you will have 10 seats instead of 8.",
  );
  await expect(consequences).toContainText("Your term changes from 1 month to 1 year.");
  await expect(consequences).toContainText(
    "the new end date shows on this subscription's page once Microsoft has applied the change",
  );
  await expect(page.getByTestId("row-seats")).toHaveText(/Seats\s*8\s*10/);
  await expect(page.getByTestId("row-term")).toHaveText(/Term\s*1 month\s*1 year/);
  await expect(page.getByTestId("row-price")).toContainText("USD 2,400.00 per year for 10 seats");
  // The surprising consequences come first, marked for everyone (not by colour alone).
  await expect(consequences.getByRole("listitem").first()).toContainText("Please note:");
  expect(await patchesTo(id, since)).toHaveLength(0); // nothing is sent by reviewing
  await screenshot(page, "plan-disclosure-review");

  await page.getByRole("button", { name: "Confirm change to Enterprise (per user, annual)" }).click();
  await expect(page.getByTestId("pending-change")).toContainText("Plan change in progress");
  await expect(page.getByTestId("pending-change")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("failed-change")).toHaveCount(0);
  await expect(page.getByTestId("plan")).toHaveText("Enterprise (per user, annual)");
  await expect(page.getByTestId("seats")).toHaveText("10");
  const remote = (await sandbox.subscription(id)).subscription;
  expect(remote).toMatchObject({ planId: "enterprise-seats", quantity: 10 });
  // The annual term Microsoft set is on the page.
  await expect(page.getByTestId("term")).toHaveText("1 year");
  await expect(page.getByTestId("term-dates")).toHaveText(
    `${day(remote.term.startDate!)} – ${day(remote.term.endDate!)}`,
  );
  const termDays = (Date.parse(remote.term.endDate!) - Date.parse(remote.term.startDate!)) / 86_400_000;
  expect(termDays).toBeGreaterThanOrEqual(364);
  expect(await patchesTo(id, since)).toHaveLength(1);
});

test("an annual per-user plan → a monthly flat plan: the term change and the end of per-user pricing are shown before confirming", async ({
  page,
}) => {
  const id = await subscriptionPage(page, "enterprise-seats", 10, `Term change e2e ${Date.now()}`);
  const before = (await sandbox.subscription(id)).subscription;
  await page.getByRole("radio", { name: /^Basic/ }).check();
  await page.getByRole("button", { name: "Review plan change" }).click();
  const consequences = page.getByTestId("consequences");
  await expect(consequences).toContainText("Your term changes from 1 year to 1 month.");
  await expect(consequences).toContainText(
    "Basic has a flat price: you will no longer pay per user (you have 10 seats now).",
  );
  await expect(page.getByTestId("row-seats")).toHaveText(/Seats\s*10\s*Flat price/);
  await expect(page.getByTestId("row-term-end")).toContainText(day(before.term.endDate!));
  await expect(page.getByTestId("row-term-end")).toContainText("Known once Microsoft has applied the change");
  await expect(page.getByTestId("row-price")).toContainText("USD 99.00 per month (flat price)");

  await page.getByRole("button", { name: "Confirm change to Basic" }).click();
  await expect(page.getByTestId("plan")).toHaveText("Basic", { timeout: 30_000 });
  await expect(page.getByTestId("pending-change")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("seats")).toHaveText("Flat rate");
  const after = (await sandbox.subscription(id)).subscription;
  expect(after.planId).toBe("basic");
  expect(after.term?.endDate).not.toBe(before.term?.endDate);
  await expect(page.getByTestId("term")).toHaveText("1 month");
  await expect(page.getByTestId("term-dates")).toHaveText(
    `${day(after.term.startDate!)} – ${day(after.term.endDate!)}`,
  );
});

test("Microsoft's plan changes between the review and the confirmation: nothing is sent, and the page shows the new consequences with the reason", async ({
  page,
}) => {
  const id = await subscriptionPage(page, "pro-seats", 8, `Terms changed e2e ${Date.now()}`);
  await page.getByRole("radio", { name: /Enterprise \(per user, annual\)/ }).check();
  await page.getByRole("button", { name: "Review plan change" }).click();
  await expect(page.getByTestId("consequences")).toContainText("you will have 10 seats instead of 8");

  // Meanwhile Microsoft's plan list says Enterprise needs 12 seats (read once, by the confirmation).
  const billing = (price: number, termUnit: string) => ({
    recurrentBillingTerms: [{ currency: "USD", price, termUnit }],
  });
  await sandbox.addFault({
    method: "GET",
    pathPattern: `${id}/listAvailablePlans`,
    status: 200,
    times: 1,
    body: {
      plans: [
        { planId: "basic", displayName: "Basic", isPricePerSeat: false, planComponents: billing(99, "P1M") },
        {
          planId: "pro-seats",
          displayName: "Professional (per user)",
          isPricePerSeat: true,
          minQuantity: 1,
          maxQuantity: 100,
          planComponents: billing(12, "P1M"),
        },
        {
          planId: "enterprise-seats",
          displayName: "Enterprise (per user, annual)",
          isPricePerSeat: true,
          minQuantity: 12,
          maxQuantity: 5000,
          planComponents: billing(240, "P1Y"),
        },
      ],
    },
  });
  const since = new Date();
  try {
    await page.getByRole("button", { name: "Confirm change to Enterprise (per user, annual)" }).click();
    await expect(
      page
        .getByRole("alert")
        .filter({ hasText: "The plan's terms changed since you reviewed them: please review again." }),
    ).toBeVisible();
    await expect(page.getByTestId("consequences")).toContainText(
      "Enterprise (per user, annual) needs at least 12 seats: you will have 12 seats instead of 8.",
    );
    await screenshot(page, "plan-disclosure-terms-changed");
    expect(await patchesTo(id, since)).toHaveLength(0);
  } finally {
    await sandbox.clearFaults();
  }
  await page.getByRole("link", { name: "Keep my current plan" }).click();
  await expect(page.getByTestId("plan")).toHaveText("Professional (per user)");
  await expect(page.getByTestId("pending-change")).toHaveCount(0);

  // A seat count outside the plan's range, typed into the address bar: refused with the limits.
  await page.goto(`/account/subscriptions/${id}/change?seats=500`);
  await expect(page.getByRole("heading", { name: "This change is not possible" })).toBeVisible();
  await expect(page.getByTestId("review-refusal")).toHaveText(
    "Professional (per user) allows at most 100 seats: choose between 1 and 100, or a larger plan.",
  );
  await expect(page.getByRole("button", { name: /Confirm/ })).toHaveCount(0);
});
