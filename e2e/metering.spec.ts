import { expect, test, type Page } from "@playwright/test";
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

test("an admin creates an API key, the product reports usage, the hour is billed in the sandbox once and charted in the console", async ({
  page,
  context,
}) => {
  const name = `Metering e2e ${Date.now()}`;
  const subscriptionId = await buyAndActivate(page, { offerId: "contoso-analytics", planId: "basic", name });

  // The publisher admin creates a key for the product; it is shown once.
  await context.clearCookies();
  await signInTo(page, "/admin/api-keys", "paula@contoso-software.example");
  await expect(page.getByRole("heading", { name: "API keys for usage reporting" })).toBeVisible();
  const keyName = `Analytics e2e ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(keyName);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("new-api-key").inputValue();
  expect(key).toMatch(/^usk_[0-9a-f]{12}_/);
  // Opened again (a GET: a reload would re-post the form when the click beat hydration and the form was posted natively).
  await page.goto("/admin/api-keys");
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await expect(page.locator(`[data-testid="api-key-row"][data-prefix="${key.slice(0, 16)}"]`)).toContainText(keyName);

  // The product reports two records for an hour that has closed, and retries one of them.
  const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR);
  const records = [
    {
      subscriptionId,
      dimension: "reports",
      quantity: 3,
      effectiveAt: new Date(hour.getTime() + 5 * 60_000).toISOString(),
      idempotencyKey: `${subscriptionId}-1`,
    },
    // The same instant written with another UTC offset: still the same hour.
    {
      subscriptionId,
      dimension: "reports",
      quantity: 4.5,
      effectiveAt: offsetTime(new Date(hour.getTime() + 40 * 60_000), 330),
      idempotencyKey: `${subscriptionId}-2`,
    },
  ];
  const reported = await page.request.post("/api/usage", {
    headers: { authorization: `Bearer ${key}` },
    data: { records },
  });
  expect(reported.status()).toBe(202);
  expect(await reported.json()).toMatchObject({ accepted: 2, refused: 0 });
  const retried = await page.request.post("/api/usage", {
    headers: { authorization: `Bearer ${key}` },
    data: records[0],
  });
  expect(retried.status()).toBe(202);
  expect(await retried.json()).toMatchObject({ results: [{ status: "accepted", replayed: true }] });
  const wrong = await page.request.post("/api/usage", {
    headers: { authorization: `Bearer ${key}` },
    data: { ...records[0], idempotencyKey: `${subscriptionId}-3`, dimension: "storage-gb" },
  });
  expect(wrong.status()).toBe(422);
  expect(await wrong.json()).toMatchObject({ error: { code: "dimension_unknown" } });
  expect((await page.request.post("/api/usage", { data: records[0] })).status()).toBe(401);

  // The admin sends the closed hours now instead of waiting for the hourly run.
  await page.goto("/admin/usage");
  await expect(page.getByRole("heading", { name: "Metered usage" })).toBeVisible();
  await confirmAction(page, "Submit closed hours now");
  await expect(page.getByRole("status").filter({ hasText: "Submission queued" })).toBeVisible();

  // Billed in the sandbox: one event for the hour, with the hour's total.
  await expect
    .poll(
      async () =>
        (await sandbox.usageEvents(subscriptionId)).map(
          (event) => `${event.hourStart} ${event.dimension} ${event.quantity}`,
        ),
      { timeout: 20_000 },
    )
    .toEqual([`${hour.toISOString()} reports 7.5`]);
  const [event] = await sandbox.usageEvents(subscriptionId);

  // Charted in the console with its status and Microsoft's event id.
  await expect(async () => {
    await page.goto(`/admin/usage/${subscriptionId}`);
    await expect(page.locator(`[data-testid="usage-hour"][data-hour="${hour.toISOString()}"]`)).toHaveAttribute(
      "data-status",
      "accepted",
      { timeout: 1000 },
    );
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole("img", { name: /Usage of reports per hour/ })).toBeVisible();
  await expect(page.locator(`rect[data-hour="${hour.toISOString()}"]`)).toHaveAttribute("data-status", "accepted");
  await expect(page.locator(`rect[data-hour="${hour.toISOString()}"]`)).toHaveAttribute("data-quantity", "7.5");
  await expect(page.getByTestId("usage-event-id")).toHaveText(event?.usageEventId ?? "missing");
  await page.goto("/admin/usage");
  await expect(
    page.locator(`[data-testid="usage-row"][data-subscription="${subscriptionId}"] [data-testid="usage-billed"]`),
  ).toHaveText("7.5");

  // Late usage for the billed hour: the next submission bills it in the next unsent hour, and never
  // a second event for the billed one (the new event also shows that the run has happened).
  const late = await page.request.post("/api/usage", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      subscriptionId,
      dimension: "reports",
      quantity: 2,
      effectiveAt: new Date(hour.getTime() + 50 * 60_000).toISOString(),
      idempotencyKey: `${subscriptionId}-late`,
    },
  });
  expect(late.status()).toBe(202);
  await confirmAction(page, "Submit closed hours now");
  await expect(page.getByRole("status").filter({ hasText: "Submission queued" })).toBeVisible();
  await expect
    .poll(
      async () => (await sandbox.usageEvents(subscriptionId)).map((event) => `${event.hourStart} ${event.quantity}`),
      { timeout: 20_000 },
    )
    .toEqual([`${hour.toISOString()} 7.5`, `${new Date(hour.getTime() + HOUR).toISOString()} 2`]);

  // Revoked: the product's next request is refused.
  await page.goto("/admin/api-keys");
  await confirmAction(page, `Revoke ${keyName}`);
  await expect(page.locator(`[data-testid="api-key-row"][data-prefix="${key.slice(0, 16)}"]`)).toContainText("Revoked");
  const afterRevoke = await page.request.post("/api/usage", {
    headers: { authorization: `Bearer ${key}` },
    data: records[1],
  });
  expect(afterRevoke.status()).toBe(401);

  // A publisher user without the admin role sees nothing.
  await context.clearCookies();
  await signInTo(page, "/account", "pete@contoso-software.example");
  for (const path of ["/admin/usage", "/admin/api-keys", `/admin/usage/${subscriptionId}`]) {
    expect((await page.goto(path))?.status(), path).toBe(404);
  }
});

/** The same instant written with a UTC offset of `minutes` (e.g. +05:30). */
function offsetTime(date: Date, minutes: number): string {
  const local = new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}
