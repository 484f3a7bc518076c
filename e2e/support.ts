import path from "node:path";
import { expect, type Page } from "@playwright/test";
import pg from "pg";
import { sandboxControl } from "../tests/support/sandbox-control";

export const sandboxUrl = `https://localhost:${process.env.E2E_SANDBOX_PORT ?? 8543}`;
const sandboxDataDir = path.resolve(process.env.E2E_SANDBOX_DATA_DIR ?? ".data/e2e-sandbox");
export const sandbox = sandboxControl(sandboxUrl, { caPath: path.join(sandboxDataDir, "tls", "ca.pem") });

/** Signs in through the sandbox identity provider's page (reached from the portal's sign-in button). */
export async function signInAs(page: Page, email: string, password = "sandbox") {
  await expect(page.getByLabel("Email")).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/**
 * Fills the account form's required fields (landing or setup page) and accepts the terms. The
 * offer catalog (config/catalog.json) labels them per offer: “Contact name” for Contoso Analytics,
 * “Administrator name” for Contoso Cloud Backup; every other field is optional or has a default.
 */
export async function fillAccountForm(page: Page, company = "Fabrikam, Inc.") {
  await page.getByLabel("Company name").fill(company);
  await page.getByLabel(/^(Contact|Administrator) name/).fill("Alice Admin");
  await page.getByLabel(/^(Contact|Administrator) email/).fill("it@fabrikam.example");
  await page.getByLabel(/I accept the terms/).check();
}

/** Fills the account form on the landing page and activates. */
export async function configureAndActivate(page: Page, company = "Fabrikam, Inc.") {
  await fillAccountForm(page, company);
  await page.getByRole("button", { name: "Activate subscription" }).click();
}

/** Status straight from the portal's PostgreSQL database (E2E_DATABASE_URL); undefined when the row is missing. */
export async function databaseStatus(subscriptionId: string): Promise<string | undefined> {
  if (!process.env.E2E_DATABASE_URL) throw new Error("databaseStatus needs E2E_DATABASE_URL (the PostgreSQL e2e run)");
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    const result = await client.query<{ status: string }>('SELECT status FROM "Subscription" WHERE id = $1', [
      subscriptionId,
    ]);
    return result.rows[0]?.status;
  } finally {
    await client.end();
  }
}

/** Buys in the sandbox for Alice (or another seeded buyer), lands, signs in and activates through the UI. */
export async function buyAndActivate(
  page: Page,
  request: Omit<Parameters<typeof sandbox.purchase>[0], "beneficiary"> & { beneficiary?: { tid: string; oid: string } },
  email = "alice@fabrikam.example",
) {
  const purchase = await sandbox.purchase({
    beneficiary: { tid: "22222222-2222-4222-8222-222222222222", oid: "b2000000-0000-4000-8000-000000000001" },
    ...request,
  });
  await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, email);
  await configureAndActivate(page);
  await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible();
  return purchase.subscriptionId;
}
