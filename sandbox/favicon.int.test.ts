/** The sandbox server of the integration set-up (tests/support/integration-setup.ts), over https. */
import { describe, expect, it } from "vitest";

const sandboxUrl = process.env.SANDBOX_URL ?? "";

describe("the sandbox's favicon", () => {
  it("answers GET /favicon.ico with an image, not a 404", async () => {
    const response = await fetch(`${sandboxUrl}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^image\//);
    expect(await response.text()).toMatch(/^<svg /);
  });

  it("is linked from the sandbox pages", async () => {
    const page = await fetch(`${sandboxUrl}/purchase`);
    expect(await page.text()).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.ico">');
  });
});
