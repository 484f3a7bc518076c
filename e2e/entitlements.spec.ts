import { expect, test, type Page } from "@playwright/test";
import { buyAndActivate, signInAs } from "./support";

const FABRIKAM = "22222222-2222-4222-8222-222222222222";

async function signInTo(page: Page, path: string, email: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, email);
}

test("an admin creates a read-only entitlements key for one customer, the product reads what it bought, then the key is revoked", async ({
  page,
  context,
}) => {
  const name = `Entitlements e2e ${Date.now()}`;
  const subscriptionId = await buyAndActivate(page, { offerId: "contoso-analytics", planId: "basic", name });

  await context.clearCookies();
  await signInTo(page, "/admin/api-keys", "paula@contoso-software.example");
  const keyName = `Fabrikam product ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(keyName);
  await page.getByRole("checkbox", { name: /Report usage/ }).uncheck();
  await page.getByRole("checkbox", { name: /Read entitlements/ }).check();
  await page.getByLabel(/Limit to customer tenants/).fill(FABRIKAM);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = await page.getByTestId("new-api-key").inputValue();
  await expect(page.getByTestId("new-api-key-panel")).toContainText("GET /api/v1/entitlements");
  await page.screenshot({ path: test.info().outputPath("api-keys-created.png"), fullPage: true });
  const row = page.locator(`[data-testid="api-key-row"][data-prefix="${key.slice(0, 16)}"]`);
  await expect(row.getByTestId("api-key-scopes")).toContainText("Read entitlements");
  await expect(row.getByTestId("api-key-scopes")).not.toContainText("Report usage");
  await expect(row.getByTestId("api-key-scopes")).toContainText(FABRIKAM);

  // The product reads the customer's subscription with it, and cannot report usage.
  const authorization = { authorization: `Bearer ${key}` };
  const one = await page.request.get(`/api/v1/entitlements/${subscriptionId}`, { headers: authorization });
  expect(one.status()).toBe(200);
  expect(await one.json()).toMatchObject({
    subscriptionId,
    name,
    status: "Subscribed",
    setupState: "complete",
    offer: { id: "contoso-analytics", displayName: "Contoso Analytics" },
    plan: { id: "basic" },
    features: { maxProjects: 5 },
  });
  const list = await page.request.get(`/api/v1/entitlements?tenantId=${FABRIKAM}&limit=200`, {
    headers: authorization,
  });
  expect(list.status()).toBe(200);
  expect(((await list.json()) as { entitlements: Array<{ subscriptionId: string }> }).entitlements).toContainEqual(
    expect.objectContaining({ subscriptionId }),
  );
  const usage = await page.request.post("/api/usage", { headers: authorization, data: {} });
  expect(usage.status()).toBe(403);
  const contract = await page.request.get("/api/v1/openapi.json");
  expect(await contract.json()).toMatchObject({ openapi: "3.1.0" });

  // Revoked: refused at once.
  await row.getByText(`Revoke ${keyName}…`, { exact: true }).click();
  await row.getByLabel(`Yes, revoke ${keyName.toLowerCase()}`).check();
  await row.getByRole("button", { name: `Confirm: Revoke ${keyName}` }).click();
  await expect(row).toContainText("Revoked");
  expect((await page.request.get(`/api/v1/entitlements/${subscriptionId}`, { headers: authorization })).status()).toBe(
    401,
  );
});
