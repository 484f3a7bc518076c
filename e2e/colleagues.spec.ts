import { expect, test, type Page } from "@playwright/test";
import { buyAndActivate, signInAs } from "./support";

/** Signs the browser out of the portal and the sandbox IdP, then opens `url` as `email`. */
async function openAs(page: Page, url: string, email: string) {
  await page.context().clearCookies();
  await page.goto(url);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, email);
}

test("a buyer invites a colleague by link; the colleague manages the subscription, another organisation cannot use the link, a tenant admin sees it", async ({
  page,
}) => {
  const name = `Team e2e ${Date.now()}`;
  const id = await buyAndActivate(page, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 5, name });

  await page.goto(`/account/subscriptions/${id}`);
  await expect(page.getByText("No colleagues invited yet.")).toBeVisible();
  await page.getByRole("button", { name: "Create an invitation link" }).click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/account\/invitations\/[A-Za-z0-9_-]{43}$/);
  await page.reload();
  await expect(page.getByTestId("open-invite")).toHaveCount(1);
  await expect(page.getByTestId("invite-link")).toHaveCount(0); // shown once only

  // Someone of another organisation gets a clear refusal, and the link stays usable.
  await openAs(page, link, "nina@northwind.example");
  await expect(page.getByRole("heading", { name: "This invitation is for another organisation" })).toBeVisible();

  // The colleague accepts and can change the seats.
  await openAs(page, link, "bob@fabrikam.example");
  await expect(page.getByRole("heading", { name: `You are invited to manage ${name}` })).toBeVisible();
  await page.getByRole("button", { name: "Accept the invitation" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("access-reason")).toContainText("colleague");
  await expect(page.getByRole("button", { name: "Review seat change" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create an invitation link" })).toHaveCount(0);

  // Signing out ends the portal session and the Entra one, so the next sign-in asks who it is.
  await expect(page.getByTestId("account-menu-user")).toHaveText("bob@fabrikam.example");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/:\d+\/$/);
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);

  // The publisher's console lists the colleague next to the subscription's own fields.
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(`/admin/subscriptions/${id}`)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, "paula@contoso-software.example");
  await expect(page.getByTestId("admin-colleagues")).toContainText("Bob Builder");

  // Used once: opening it again explains, even for the same organisation.
  await openAs(page, link, "grace@fabrikam.example");
  await expect(page.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();

  // Grace is a Global Administrator of Fabrikam: she sees the subscription and who has access.
  await page.goto("/account");
  await page.getByRole("link", { name }).click();
  await expect(
    page.getByText("You see this subscription as an administrator of your organisation.", { exact: false }),
  ).toBeVisible();
  await expect(page.getByTestId("colleague")).toContainText("Bob Builder");
  await page.getByRole("button", { name: "Remove access" }).click();
  await expect(page.getByText("No colleagues invited yet.")).toBeVisible();

  await openAs(page, `/account/subscriptions/${id}`, "bob@fabrikam.example");
  await expect(page.getByRole("heading", { name: /not found|could not be found/i })).toBeVisible();
});
