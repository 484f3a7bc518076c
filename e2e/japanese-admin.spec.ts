/**
 * The admin console for an operator whose browser speaks Japanese (issue #13): Accept-Language
 * ja-JP and a Tokyo clock, no cookie. The console's pages come in Japanese with `<html lang="ja">`,
 * moments in the operator's time zone, and no page is wider than a phone's screen (wide tables
 * scroll inside their own box). Screenshots of each page at desktop and phone width.
 */
import { expect, test, type Page } from "@playwright/test";
import { seeded } from "../tests/support/sandbox-env";
import { sandbox, signInAs } from "./support";

test.use({ locale: "ja-JP", timezoneId: "Asia/Tokyo" });

async function signInAsAdmin(page: Page, path: string) {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(path)}`);
  // The sign-in page's own words are another page's business: its one button names Microsoft in any language.
  await page.getByRole("button", { name: /Microsoft/ }).click();
  await signInAs(page, "paula@contoso-software.example");
}

/** The document is no wider than the window: anything wide scrolls inside its own box. */
async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${page.url()} at ${innerWidth}px`).toBeLessThanOrEqual(innerWidth);
}

test("an admin whose browser speaks Japanese sees the dashboard, the subscriptions list and a subscription in Japanese", async ({
  page,
}) => {
  // An auto-activated purchase: Microsoft's Subscribe webhook records it without the buyer landing.
  // Northwind's, not Fabrikam's: its setup stays pending, and Alice's account pages are another spec's.
  const name = `日本語コンソール e2e ${Date.now()}`;
  const purchase = await sandbox.purchase({
    offerId: "contoso-backup",
    planId: "team-auto",
    quantity: 4,
    beneficiary: { tid: seeded.nina.tid, oid: seeded.nina.oid },
    purchaser: { tid: seeded.nina.tid, oid: seeded.nina.oid },
    name,
  });

  await signInAsAdmin(page, "/admin");
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await expect(page.getByRole("heading", { level: 1, name: "マーケットプレース ダッシュボード" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "要対応" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "状態別" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "管理コンソール" })).toBeVisible();
  await expect(page.getByTestId("console-time-zone")).toHaveText("時刻の表示：Asia/Tokyo");
  await expect(page).toHaveTitle(/ダッシュボード · 管理コンソール/);

  await page.getByRole("link", { name: "サブスクリプション", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "サブスクリプション" })).toBeVisible();
  await expect(page.getByLabel("並べ替え")).toBeVisible();
  const row = page.getByTestId("subscription-row").filter({ hasText: name });
  await expect(async () => {
    await page.goto(`/admin/subscriptions?q=${encodeURIComponent(name)}`);
    await expect(row).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("status").filter({ hasText: "件のサブスクリプションが見つかりました" })).toHaveText(
    "1件のサブスクリプションが見つかりました。",
  );
  await expect(row.locator('[data-status="Subscribed"]')).toContainText("有効");
  await expect(row.getByTestId("auto-activated")).toHaveText("自動有効化");
  // Created, to the second, in Tokyo's time: "2026年11月30日 15:45:25".
  await expect(row.locator("td").last()).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}$/);

  await row.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/subscriptions/${purchase.subscriptionId}$`));
  await expect(page.getByTestId("admin-subscription-name")).toHaveText(name);
  await expect(page.getByRole("heading", { name: "有効化と初期設定" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "オファー、プラン、アカウント" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "タイムライン" })).toBeVisible();
  await expect(page.getByTestId("activated-by")).toHaveText("Microsoft（購入時に自動有効化）");
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByRole("link", { name: "Webhook の配信：Subscribe" })).toBeVisible();
  await expect(timeline.getByText("サブスクリプションを記録", { exact: true })).toBeVisible();
  await expect(page.getByText("Microsoft から再同期…", { exact: true })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
});

test("the console's pages in Japanese fit a phone's width and a desktop's; screenshots of each", async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000); // 11 pages at two widths, each a full-page screenshot
  await signInAsAdmin(page, "/admin");
  await expect(page.getByRole("heading", { level: 1, name: "マーケットプレース ダッシュボード" })).toBeVisible();
  await page.goto("/admin/subscriptions");
  const detail = page.getByTestId("subscription-row").first().getByRole("link").first();
  const detailPath = (await detail.count()) > 0 ? await detail.getAttribute("href") : null;
  const pages: Array<[string, string, string]> = [
    ["dashboard", "/admin", "マーケットプレース ダッシュボード"],
    ["subscriptions", "/admin/subscriptions", "サブスクリプション"],
    ...(detailPath ? [["subscription", detailPath, ""] as [string, string, string]] : []),
    ["webhooks", "/admin/webhooks", "Webhook の配信"],
    ["operations", "/admin/operations", "操作"],
    ["reconciliation", "/admin/reconciliation", "照合"],
    ["usage", "/admin/usage", "従量課金の使用量"],
    ["usage-reconciliation", "/admin/usage/reconciliation", "Microsoft との使用量の照合"],
    ["api-keys", "/admin/api-keys", "使用量の報告とエンタイトルメント用の API キー"],
    ["events", "/admin/events", "製品へのイベント"],
    ["notifications", "/admin/notifications", "通知"],
    ["health", "/admin/health", "稼働状況"],
  ];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [label, path, heading] of pages) {
      await page.goto(path);
      if (heading) await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(page.locator("html")).toHaveAttribute("lang", "ja");
      await expectNoSidewaysScroll(page);
      await page.screenshot({ path: testInfo.outputPath(`ja-admin-${label}-${width}.png`), fullPage: true });
    }
  }
});
