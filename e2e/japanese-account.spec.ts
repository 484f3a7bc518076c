/**
 * The account pages in Japanese (issue #13): a buyer whose browser asks for Japanese
 * (Accept-Language ja-JP) activates, then sees the subscription list and page, a seat change's
 * review and the cancel page in Japanese, with Japanese dates, and changes the seats. Screenshots
 * of each page at desktop and phone widths go to .data/screenshots/ja-*.png.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { buyAndActivate, sandbox } from "./support";

test.use({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });

const screenshots = path.resolve(".data/screenshots");

/** 2026年11月25日: a term day as the Japanese pages write it (UTC calendar day). */
const jaDay = (iso: string) =>
  new Intl.DateTimeFormat("ja", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(
    new Date(iso),
  );

/** Full-page screenshots at 1280px and 390px; neither width may scroll sideways. */
async function screenshot(page: Page, name: string) {
  mkdirSync(screenshots, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(screenshots, `ja-${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("a buyer with a Japanese browser manages the subscription in Japanese: list, page, seat change, cancel", async ({
  page,
  baseURL,
}) => {
  const name = `日本語 e2e ${Date.now()}`;
  // The purchase is activated through the shared (English) steps: English chosen in the switcher's
  // cookie for that, then the choice removed, so the browser's Accept-Language (ja-JP) decides again.
  await page.context().addCookies([{ name: "portal_locale", value: "en", url: baseURL ?? "" }]);
  const id = await buyAndActivate(page, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 5, name });
  await page.context().clearCookies({ name: "portal_locale" });
  const { term } = (await sandbox.subscription(id)).subscription;

  // The list.
  await page.goto("/account");
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByRole("heading", { level: 1, name: "サブスクリプション一覧" })).toBeVisible();
  const card = page.getByTestId("account-subscription").filter({ hasText: name });
  await expect(card).toContainText("Professional (per user) · 5シート");
  await expect(card).toContainText(`契約期間 ${jaDay(term.startDate!)}～${jaDay(term.endDate!)}・`);
  await expect(card).toContainText(/\d{4}年\d{1,2}月\d{1,2}日に更新/);
  await screenshot(page, "account-list");

  // The subscription's page.
  await card.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("プラン", { exact: true })).toBeVisible();
  await expect(page.getByTestId("seats")).toHaveText("5");
  await expect(page.getByTestId("term")).toHaveText("1か月");
  await expect(page.getByTestId("term-dates")).toHaveText(`${jaDay(term.startDate!)}～${jaDay(term.endDate!)}`);
  await expect(page.getByText("ユーザー単位 · 1～100シート · 1か月 · 1ユーザーあたり USD 12.00/月")).toHaveCount(1);
  await expect(page.getByRole("heading", { name: "アクセスできるユーザー" })).toBeVisible();
  await expect(page.getByText("招待した同僚はまだいません。")).toBeVisible();
  await page.getByRole("button", { name: "招待リンクを作成" }).click();
  await expect(page.getByText(/^このリンクを同僚に送ってください。\d{4}年\d{1,2}月\d{1,2}日まで/)).toBeVisible();
  await screenshot(page, "subscription");

  // Seats: checked in the browser first, in Japanese; then reviewed in Japanese.
  await page.getByLabel("シート数", { exact: true }).fill("0");
  await page.getByRole("button", { name: "シート数の変更内容を確認" }).click();
  await expect(page.getByText("このプランには1シート以上が必要です。")).toBeVisible();
  await page.getByLabel("シート数", { exact: true }).fill("12");
  await page.getByRole("button", { name: "シート数の変更内容を確認" }).click();
  await expect(page.getByRole("heading", { name: "シート数の変更内容の確認" })).toBeVisible();
  const consequences = page.getByTestId("consequences");
  await expect(consequences).toContainText("シート数が5から12に変わります。");
  await expect(consequences).toContainText(
    `契約期間は1か月のまま変わりません。現在の契約期間は${jaDay(term.endDate!)}に終了します。`,
  );
  await expect(page.getByTestId("row-seats")).toHaveText(/シート数\s*5\s*12/);
  await expect(page.getByTestId("row-price")).toContainText(
    /USD\s144\.00\/月（12シート、1ユーザーあたり USD\s12\.00\/月）/,
  );
  await screenshot(page, "seat-review");

  await page.getByRole("button", { name: "12シートに変更する" }).click();
  await expect(page.getByTestId("pending-change")).toContainText("シート数の変更を処理中です");
  await expect(page.getByTestId("pending-change")).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId("failed-change")).toHaveCount(0);
  await expect(page.getByTestId("seats")).toHaveText("12");
  expect((await sandbox.subscription(id)).subscription.quantity).toBe(12);

  // A plan change's review: the longest Japanese sentences (seat minimum, another term, prices).
  await page.goto(`/account/subscriptions/${id}/change?plan=enterprise-seats`);
  await expect(
    page.getByRole("heading", { name: "「Enterprise (per user, annual)」への変更内容の確認" }),
  ).toBeVisible();
  await expect(page.getByTestId("consequences")).toContainText("契約期間が1か月から1年に変わります。");
  await screenshot(page, "plan-review");

  // The cancel page: what happens, and the confirmation asked for in Japanese (not cancelled here).
  await page.goto(`/account/subscriptions/${id}/cancel`);
  await expect(page.getByRole("heading", { name: `${name} を解約しますか？` })).toBeVisible();
  await expect(page.getByText("データは解約後30日間保持され、その後削除されます。")).toBeVisible();
  await page.getByRole("button", { name: "サブスクリプションを解約" }).click();
  await expect(page.getByText("解約を確定するには、チェックボックスをオンにしてください。")).toBeVisible();
  await screenshot(page, "cancel");
  expect((await sandbox.subscription(id)).subscription.saasSubscriptionStatus).toBe("Subscribed");

  // The invitation page (the buyer opens their own link: they already have access).
  await page.goto(`/account/subscriptions/${id}`);
  await page.getByRole("button", { name: "招待リンクを作成" }).click();
  const link = await page.getByTestId("invite-link").inputValue();
  await page.goto(link);
  await expect(page.getByRole("heading", { name: `${name} の管理に招待されています` })).toBeVisible();
  await expect(page.getByText("このサブスクリプションにはすでにアクセスできます。", { exact: false })).toBeVisible();
  await screenshot(page, "invitation");
});
