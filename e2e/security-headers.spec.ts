/**
 * The pages' security headers in a real browser: the Content-Security-Policy (nonce-based) must be
 * one the pages satisfy — the landing page with a purchase, the account pages and the console,
 * reached through the real sign-in — with no violation reported and the app's scripts running.
 * Also: a server action over the body limit gets a plain 413, and Microsoft's webhook — answered
 * before Next.js by the artefact's server.js — gets the headers every response gets.
 */
import { expect, test, type Page } from "@playwright/test";
import { seeded } from "../tests/support/sandbox-env";
import { configureAndActivate, sandbox, signInAs } from "./support";

const portalOrigin = `http://localhost:${process.env.E2E_PORTAL_PORT ?? 3100}`;

interface Violation {
  page: string;
  directive?: string;
  blocked?: string;
  sample?: string;
  console?: string;
}

/** Collects CSP violations on the portal's pages (the sandbox's own pages are not ours to judge). */
async function watchPolicy(page: Page): Promise<Violation[]> {
  const violations: Violation[] = [];
  await page.exposeFunction("__reportCspViolation", (violation: Violation) => {
    if (violation.page.startsWith(portalOrigin)) violations.push(violation);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __reportCspViolation: (violation: Record<string, string>) => void })
        .__reportCspViolation;
      void report({
        page: document.location.href,
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        sample: event.sample,
      });
    });
  });
  page.on("console", (message) => {
    if (
      message.type() === "error" &&
      /Content.Security.Policy|Permissions.Policy/i.test(message.text()) &&
      page.url().startsWith(portalOrigin)
    ) {
      violations.push({ page: page.url(), console: message.text() });
    }
  });
  return violations;
}

/** Next.js's client runtime started: its nonce'd scripts were allowed to run. */
async function expectHydrated(page: Page) {
  await expect
    .poll(() => page.evaluate(() => typeof (window as unknown as { next?: { version?: string } }).next?.version))
    .toBe("string");
}

async function expectPageHeaders(page: Page, path: string) {
  const response = await page.request.get(path);
  expect(response.status(), path).toBe(200);
  const headers = response.headers();
  const policy = headers["content-security-policy"] ?? "";
  expect(policy, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'(;|$)/);
  expect(policy).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'(;|$)/);
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "default-src 'self'"])
    expect(policy).toContain(directive);
  expect(policy).toMatch(/form-action 'self' https:\/\/localhost:\d+(;|$)/); // sign-in and sign-out redirect to the authority
  expect(policy).not.toContain("unsafe-inline");
  expect(policy).not.toContain("unsafe-eval");
  expect(policy).not.toContain("upgrade-insecure-requests"); // plain http here
  expect(headers["referrer-policy"]).toBe("same-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["permissions-policy"]).toMatch(/camera=\(\), microphone=\(\), geolocation=\(\)/);
  expect(headers["strict-transport-security"]).toBeUndefined();
  const html = await response.text();
  expect(html).toContain(`nonce="${/'nonce-([^']+)'/.exec(policy)?.[1]}"`);
}

test("the landing page, the account pages and the console satisfy their Content-Security-Policy", async ({ page }) => {
  const violations = await watchPolicy(page);

  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 3,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    name: `CSP check ${Date.now()}`,
  });
  const landing = `/landing?token=${encodeURIComponent(purchase.token)}`;
  await page.goto(landing);
  await expectHydrated(page);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, "alice@fabrikam.example");
  await expect(page.getByTestId("subscription-name")).toHaveText(/CSP check/);
  await expectHydrated(page);
  await expectPageHeaders(page, landing);

  await configureAndActivate(page);
  await expect(page.getByRole("heading", { name: "Your subscription is active" })).toBeVisible();
  await page.goto(`/account/subscriptions/${purchase.subscriptionId}`);
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  await expectHydrated(page);
  await expectPageHeaders(page, `/account/subscriptions/${purchase.subscriptionId}`);
  await page.goto("/account");
  await expectHydrated(page);

  await page.context().clearCookies();
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/admin/subscriptions")}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await signInAs(page, "paula@contoso-software.example");
  await expect(page.getByRole("heading", { name: "Subscriptions" })).toBeVisible();
  await expectHydrated(page);
  await page.getByLabel("Search").fill(purchase.subscriptionId);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("subscription-row")).toHaveCount(1);
  await page.getByTestId("subscription-row").getByRole("link").first().click();
  await expect(page.getByTestId("admin-subscription-name")).toHaveText(/CSP check/);
  await expectHydrated(page);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Marketplace dashboard" })).toBeVisible(); // the chart is inline SVG
  await expectHydrated(page);
  await expectPageHeaders(page, "/admin");

  expect(violations).toEqual([]);
});

test("HSTS is sent when a proxy in front says the request came over https", async ({ request }) => {
  for (const path of ["/signin", "/api/health"]) {
    const response = await request.get(path, { headers: { "x-forwarded-proto": "https" } });
    expect(response.headers()["strict-transport-security"], path).toBe("max-age=31536000; includeSubDomains");
  }
  const page = await request.get("/signin", { headers: { "x-forwarded-proto": "https" } });
  expect(page.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
  expect((await request.get("/signin")).headers()["strict-transport-security"]).toBeUndefined();
});

test("Microsoft's webhook, answered by the artefact's server before Next.js, carries every response's headers; other methods on its path are Next.js's", async ({
  request,
}) => {
  const refused = await request.post("/api/marketplace/webhook", {
    headers: { authorization: "Bearer not-a-token", "x-forwarded-proto": "https" },
    data: { id: "x" },
  });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: "Unauthorized" });
  const page = (await request.get("/signin")).headers();
  for (const name of ["x-content-type-options", "referrer-policy", "x-frame-options", "permissions-policy"])
    expect(refused.headers()[name], name).toBe(page[name]);
  expect(refused.headers()).toMatchObject({
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "cache-control": "no-store, no-transform",
    "content-type": "application/json",
  });
  const tooLarge = await request.post("/api/marketplace/webhook", { data: "x".repeat(64 * 1024 + 1) });
  expect(tooLarge.status()).toBe(413);
  expect((await request.get("/api/marketplace/webhook")).status()).toBe(405);
});

test("a server action over the body limit gets 413 with a plain reason, posted by fetch or as a form", async ({
  page,
}) => {
  // The landing page's sign-in form (in <main>: the header's language switcher is a form too) posts a module-level action, named in a hidden field for posts made without JavaScript.
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "basic",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    name: `Body limit ${Date.now()}`,
  });
  await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
  const field = await page.locator('main form input[type="hidden"][name^="$ACTION_ID_"]').first().getAttribute("name");
  const actionId = field?.slice("$ACTION_ID_".length) ?? "";
  expect(actionId).toMatch(/^[0-9a-f]{20,}$/);
  const big = "x".repeat(1024 * 1024 + 1);

  const byFetch = await page.request.post("/landing", {
    headers: { "next-action": actionId, "content-type": "text/plain;charset=UTF-8" },
    data: big,
  });
  expect(byFetch.status()).toBe(413);
  expect(await byFetch.text()).toMatch(
    /^The form is too large to send: \d+ bytes, where at most 1048576 are accepted\./,
  );

  const asForm = await page.request.post("/landing", { multipart: { [field ?? ""]: "", padding: big } });
  expect(asForm.status()).toBe(413);

  // Under the limit the action runs as before (here: sign-in, which redirects to the authority).
  const small = await page.request.post("/landing", { multipart: { [field ?? ""]: "" }, maxRedirects: 0 });
  expect(small.status()).toBe(303);
  expect(small.headers().location).toMatch(/^https:\/\/localhost:\d+\/common\/oauth2\/v2\.0\/authorize\?/);
});
