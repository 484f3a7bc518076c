/**
 * Notifications end to end (docs/decisions/0020): an auto-activated purchase → the buyer's “set up
 * your account” mail in the sandbox's inbox → its link, followed in the browser, leads through the
 * sign-in to the setup page → once set up, the “active” mail; Microsoft suspends it → the
 * suspension mail; an acknowledgement Microsoft does not take → the alert to the team by mail and
 * in the Teams and Slack receivers; the console lists them.
 */
import { expect, test, type Page } from "@playwright/test";
import type { InboxMail } from "../tests/support/sandbox-control";
import { seeded } from "../tests/support/sandbox-env";
import { fillAccountForm, sandbox, sandboxUrl, signInAs } from "./support";

/** The newest mail to an address whose subject matches, once it arrived. */
async function mailTo(address: string, subject: RegExp, about: string): Promise<InboxMail> {
  let found: InboxMail | undefined;
  await expect(async () => {
    const { mails } = await sandbox.inbox();
    found = mails.find(
      (mail) => mail.envelope.to.includes(address) && subject.test(mail.subject) && (mail.text ?? "").includes(about),
    );
    expect(found, `a mail “${subject.source}” to ${address}`).toBeDefined();
  }).toPass({ timeout: 30_000 });
  return found!;
}

async function signInTo(page: Page, path: string, email: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, email);
}

test("purchase → the set-up mail with a working link → the active mail; a suspension → its mail", async ({ page }) => {
  const name = `Mail e2e ${Date.now()}`;
  const purchase = await sandbox.purchase({
    offerId: "contoso-backup",
    planId: "standard-auto",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    name,
  });
  expect(purchase.autoActivated).toBe(true);

  // The mail, as the buyer sees it in the sandbox's inbox.
  const setupMail = await mailTo(
    seeded.alice.email,
    /^Set up your Contoso Cloud Backup account$/,
    purchase.subscriptionId,
  );
  expect(setupMail.tls).toBe(true);
  await page.goto(`${sandboxUrl}/inbox`);
  await page.locator(`a[href="/inbox/mail/${setupMail.id}"]`).click();
  await expect(page.getByRole("heading", { name: "Set up your Contoso Cloud Backup account" })).toBeVisible();
  await expect(page.getByTestId("mail-text")).toContainText(`/account/subscriptions/${purchase.subscriptionId}/setup`);
  await page.screenshot({ path: test.info().outputPath("inbox-setup-mail.png"), fullPage: true });

  // Its HTML part as a page of its own, where the button works as in a mail program.
  await page.goto(`${sandboxUrl}/inbox/mail/${setupMail.id}/html`);
  await page.screenshot({ path: test.info().outputPath("setup-mail-html.png"), fullPage: true });
  await page.getByRole("link", { name: "Set up your account" }).click();
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, seeded.alice.email);
  await expect(page).toHaveURL(new RegExp(`/account/subscriptions/${purchase.subscriptionId}/setup$`));
  await expect(page.getByRole("heading", { name: "Finish setting up your account" })).toBeVisible();
  await fillAccountForm(page);
  await page.getByRole("button", { name: "Save and finish setup" }).click();
  await expect(page.getByRole("heading", { name: "Your account is set up" })).toBeVisible();

  const activeMail = await mailTo(
    seeded.alice.email,
    /^Contoso Cloud Backup is ready to use$/,
    purchase.subscriptionId,
  );
  expect(activeMail.text).toContain(`/account/subscriptions/${purchase.subscriptionId}`);

  await sandbox.act(purchase.subscriptionId, "Suspend");
  const suspended = await mailTo(
    seeded.alice.email,
    /^Action needed: your Contoso Cloud Backup subscription is suspended$/,
    name,
  );
  expect(suspended.text).toContain("settle the payment in the Azure portal");
  // Its preferences link works without signing in, in the mail's language.
  const preferences = /(http:\/\/localhost:\d+\/notifications\/preferences\?token=[^\s)]+)/.exec(
    suspended.text ?? "",
  )?.[1];
  expect(preferences).toBeDefined();
  await page.context().clearCookies();
  await page.goto(preferences!);
  await expect(page.getByRole("heading", { name: "Email preferences" })).toBeVisible();
  await page.getByLabel("Do not send me reminders").check();
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved. The next mails follow your choices.");
  await expect(page.getByLabel("Do not send me reminders")).toBeChecked();
  await page.screenshot({ path: test.info().outputPath("preferences.png"), fullPage: true });
});

test("an acknowledgement Microsoft does not take → an alert by mail, to Teams and to Slack; the console lists it", async ({
  page,
}) => {
  const name = `Alert e2e ${Date.now()}`;
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    name,
  });
  // Known to the portal (reconciliation would do the same): the landing page resolves it.
  await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, seeded.alice.email);
  await fillAccountForm(page);
  await page.getByRole("button", { name: "Activate subscription" }).click();
  await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible();

  // Microsoft asks about a seat change; our answer gets 404 (Microsoft no longer knows the operation).
  await sandbox.addFault({ method: "PATCH", pathPattern: "/operations/", status: 404, times: 1 });
  await sandbox.act(purchase.subscriptionId, "ChangeQuantity", { quantity: 7 });

  const alert = await mailTo(
    "ops@contoso.example",
    /Microsoft did not take our answer to a change/,
    purchase.subscriptionId,
  );
  expect(alert.subject).toBe(`[Contoso SaaS] Microsoft did not take our answer to a change: ${name}`);
  await expect(async () => {
    const { chat } = await sandbox.inbox();
    const posts = chat.filter((post) => JSON.stringify(post.body).includes(purchase.subscriptionId));
    expect(posts.map((post) => post.service).sort()).toEqual(expect.arrayContaining(["slack", "teams"]));
  }).toPass({ timeout: 30_000 });
  await page.goto(`${sandboxUrl}/inbox/chat`);
  await expect(page.getByTestId("chat-row").filter({ hasText: name }).first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("inbox-chat.png"), fullPage: true });

  // The console: the alert, sent, on each channel.
  await page.context().clearCookies();
  await signInTo(page, "/admin/notifications?kind=acknowledgement_failed", "paula@contoso-software.example");
  await expect(page.getByRole("heading", { name: "Notifications", exact: true })).toBeVisible();
  const rows = page.getByTestId("notification-row").filter({ hasText: name });
  await expect(rows).toHaveCount(3);
  for (const channel of ["Email", "Teams", "Slack"])
    await expect(rows.filter({ hasText: `${channel} →` }).first()).toHaveAttribute("data-status", "sent");
  await page.screenshot({ path: test.info().outputPath("admin-notifications.png"), fullPage: true });
});
