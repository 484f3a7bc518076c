/** Browsers ask every origin for /favicon.ico: the portal and the sandbox answer with an icon, never a 404. */
import { expect, test } from "@playwright/test";
import { sandboxUrl } from "./support";

test("the portal serves its icon at /favicon.ico and its pages link it", async ({ page, request }) => {
  const icon = await request.get("/favicon.ico");
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\//);

  await page.goto("/");
  await expect(page.locator('head link[rel="icon"]')).toHaveAttribute("href", /^\/favicon\.ico/);
});

test("the sandbox serves its icon at /favicon.ico", async ({ request }) => {
  const icon = await request.get(`${sandboxUrl}/favicon.ico`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\//);
});
