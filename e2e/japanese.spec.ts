/**
 * A buyer whose browser asks for Japanese: the landing page, the account form (its checks in the
 * browser and on the server) and the activated page in Japanese, <html lang="ja">; the header's
 * switcher changes the language and the choice is remembered across pages; a malformed
 * Accept-Language or cookie value means English.
 */
import { expect, test, type Page } from "@playwright/test";
import { seeded } from "../tests/support/sandbox-env";
import { sandbox, sandboxUrl, signInAs } from "./support";

const html = (page: Page) => page.locator("html");

test.describe("in Japanese", () => {
  test.use({ locale: "ja-JP", extraHTTPHeaders: { "Accept-Language": "ja-JP,ja;q=0.9,en;q=0.5" } });

  test("a buyer buys, lands, signs in and activates in Japanese; the switcher changes to English and back", async ({
    page,
  }) => {
    await page.goto(`${sandboxUrl}/purchase`);
    await page.getByLabel("Offer and plan").selectOption("contoso-analytics/pro-seats");
    await page.getByLabel("Seats").fill("3");
    await page.getByLabel("Buyer").selectOption(`${seeded.alice.tid}/${seeded.alice.oid}`);
    const name = `Fabrikam 分析 e2e ${Date.now()}`;
    await page.getByLabel("Subscription name").fill(name);
    await page.getByRole("button", { name: "Buy" }).click();

    await expect(page).toHaveURL(/\/landing\?token=/);
    await expect(html(page)).toHaveAttribute("lang", "ja");
    await expect(page.getByRole("heading", { name: "ご購入ありがとうございます" })).toBeVisible();
    await page.getByRole("button", { name: "Microsoft でサインイン" }).click();
    await signInAs(page, "alice@fabrikam.example");

    // The purchase in Japanese; the offer's and plan's names are the catalog's own.
    await expect(page.getByTestId("subscription-name")).toHaveText(name);
    await expect(html(page)).toHaveAttribute("lang", "ja");
    await expect(page.getByText("ご購入内容")).toBeVisible();
    await expect(page.getByTestId("seats")).toHaveText("3ユーザー");
    await expect(page.getByTestId("subscription-status")).toHaveText("有効化待ち");
    await expect(page.getByTestId("offer")).toHaveText("Contoso Analytics");
    await expect(page.getByTestId("term")).toHaveText(/^\d+(か月|年)/);
    await expect(page.getByTestId("signed-in-as")).toHaveText("alice@fabrikam.example");
    await expect(page.getByText("でサインインしています")).toBeVisible();

    // The form: the catalog's Japanese labels, and each problem said in Japanese before anything is sent.
    await expect(page.getByRole("heading", { name: "アカウントの設定" })).toBeVisible();
    await expect(page.getByLabel("データの保存先")).toHaveValue("eu");
    await expect(page.getByLabel("データの保存先").locator("option:checked")).toHaveText(
      "ヨーロッパ（アムステルダム）",
    );
    await page.getByLabel("会社名").fill("");
    await page.getByLabel("想定ユーザー数").fill("0");
    await page.getByLabel(/ワークスペースのアドレス/).fill("Fabrikam Inc");
    await page.getByRole("button", { name: "サブスクリプションを有効化" }).click();
    await expect(page.getByText("「会社名」を入力してください")).toBeVisible();
    await expect(page.getByText("「想定ユーザー数」には1以上の値を入力してください")).toBeVisible();
    await expect(page.getByText("英小文字、数字、ハイフンを使い、英字で始めてください")).toBeVisible();
    await expect(page.getByText("続行するには利用規約に同意してください")).toBeVisible();
    await expect(page.getByRole("link", { name: "利用規約" })).toHaveAttribute(
      "href",
      "https://contoso.example/analytics/terms",
    );
    expect(
      (await page.locator("body").innerText()).match(/Company name|Activate subscription|is required/g),
    ).toBeNull();
    await page.screenshot({ path: test.info().outputPath("ja-landing-form.png"), fullPage: true });

    await page.getByLabel("会社名").fill("ファブリカム株式会社");
    await page.getByLabel("担当者名").fill("アリス");
    await page.getByLabel("担当者のメールアドレス").fill("it@fabrikam.example");
    await page.getByLabel("想定ユーザー数").fill("3");
    await page.getByLabel(/ワークスペースのアドレス/).fill("fabrikam-ja");
    await page.getByLabel(/利用規約/).check();
    await page.getByRole("button", { name: "サブスクリプションを有効化" }).click();

    await expect(page.getByRole("heading", { name: "サブスクリプションが有効になりました" })).toBeVisible();
    await expect(html(page)).toHaveAttribute("lang", "ja");
    await expect(page.getByTestId("subscription-status")).toHaveText("有効");
    await expect(page.getByTestId("open-product")).toHaveText("Contoso Analytics を開く");
    await page.screenshot({ path: test.info().outputPath("ja-activated.png"), fullPage: true });
    const activated = page.url();

    // The header's switcher: English, remembered on the next page although the browser asks for Japanese.
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible();
    await expect(html(page)).toHaveAttribute("lang", "en");
    await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
    await page.goto("/");
    await expect(html(page)).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("on the Microsoft marketplace");

    // And back to Japanese, remembered as well.
    await page.getByRole("button", { name: "日本語" }).click();
    await expect(html(page)).toHaveAttribute("lang", "ja");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Microsoft マーケットプレースの");
    await page.goto(activated);
    await expect(page.getByRole("heading", { name: "サブスクリプションが有効になりました" })).toBeVisible();
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });

    test("the server's own check answers in Japanese, keeping what was typed", async ({ page }) => {
      const purchase = await sandbox.purchase({
        offerId: "contoso-analytics",
        planId: "pro-seats",
        quantity: 2,
        beneficiary: { tid: seeded.bob.tid, oid: seeded.bob.oid },
        name: "JS なしの購入",
      });
      await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
      await page.getByRole("button", { name: "Microsoft でサインイン" }).click();
      await signInAs(page, "bob@fabrikam.example");
      await expect(page.getByTestId("subscription-name")).toHaveText("JS なしの購入");
      await page.getByLabel("担当者のメールアドレス").fill("not-an-email");
      await page.getByRole("button", { name: "サブスクリプションを有効化" }).click();
      await expect(page.getByRole("alert")).toContainText("入力内容をご確認ください");
      await expect(
        page.getByText("「担当者のメールアドレス」には有効なメールアドレスを入力してください（例：name@company.com）"),
      ).toBeVisible();
      await expect(page.getByLabel("担当者のメールアドレス")).toHaveValue("not-an-email");
    });
  });
});

test.describe("a language the portal cannot read", () => {
  test("a malformed Accept-Language or cookie value gives English; a malformed cookie leaves the browser's choice", async ({
    browser,
    baseURL,
  }) => {
    const open = async (options: { acceptLanguage?: string; cookie?: string }) => {
      const context = await browser.newContext({ baseURL });
      if (options.cookie !== undefined)
        await context.addCookies([{ name: "portal_locale", value: options.cookie, url: baseURL ?? "" }]);
      const page = await context.newPage();
      // Chromium sends its own locale's Accept-Language whatever extraHTTPHeaders say: set it on the way out.
      const { acceptLanguage } = options;
      if (acceptLanguage !== undefined)
        await page.route("**/landing", (route) =>
          route.continue({ headers: { ...route.request().headers(), "accept-language": acceptLanguage } }),
        );
      const response = await page.goto("/landing");
      expect(response?.status()).toBe(200);
      const result = {
        lang: await html(page).getAttribute("lang"),
        heading: await page.getByRole("heading", { level: 1 }).textContent(),
      };
      await context.close();
      return result;
    };
    const english = { lang: "en", heading: "This link has no purchase token" };
    const japanese = { lang: "ja", heading: "このリンクには購入トークンが含まれていません" };

    expect(await open({ acceptLanguage: "ja;q=abc, ;;, x-@@, *;q=2" })).toEqual(english);
    expect(await open({ acceptLanguage: "ja-JP;q=0" })).toEqual(english);
    expect(await open({ acceptLanguage: "ja".repeat(600) })).toEqual(english);
    expect(await open({ cookie: "jp" })).toEqual(english);
    expect(await open({ cookie: "ja%00<script>" })).toEqual(english);
    expect(await open({ cookie: "", acceptLanguage: "fr-FR, de;q=0.8" })).toEqual(english);
    expect(await open({ cookie: "klingon", acceptLanguage: "ja" })).toEqual(japanese);
  });
});
