import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { buyAndActivate, signInAs } from "./support";

/** The ISV's event endpoint: records each POST; answers with `status` (changeable). */
async function productReceiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const state = { status: 204 };
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response
        .writeHead(state.status, { "content-type": "text/plain" })
        .end(state.status >= 400 ? "product is down" : "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/marketplace/events`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const verify = (secret: string, request: { headers: IncomingHttpHeaders; body: string }) =>
  new Webhook(secret).verify(
    request.body,
    Object.fromEntries(
      Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    ),
  ) as {
    type: string;
    data: { subscriptionId: string; sequence: number; subscription: { plan: { displayName: string } } };
  };

async function confirmAction(page: Page | Locator, label: string) {
  await page.getByText(`${label}…`, { exact: true }).click();
  await page.getByLabel(`Yes, ${label.toLowerCase()}`).check();
  await page.getByRole("button", { name: `Confirm: ${label}` }).click();
}

test("an admin registers an endpoint, the product receives verified events of a purchase, and failed ones are replayed", async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(150_000); // two purchases through the real sign-in
  const product = await productReceiver();
  try {
    await page.goto(`/signin?callbackUrl=${encodeURIComponent("/admin/events")}`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, "paula@contoso-software.example");
    await expect(page.getByRole("heading", { name: "Events to your product" })).toBeVisible();

    // A URL on a private network is refused with the reason, nothing saved.
    await page.getByLabel("URL").fill("https://10.1.2.3/events");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText("10.1.2.3 is a private address")).toBeVisible();
    await expect(page.getByTestId("endpoint-row")).toHaveCount(0);

    const description = `E2E product ${Date.now()}`;
    await page.getByLabel("URL").fill(product.url);
    await page.getByLabel("Description").fill(description);
    await page.getByLabel("subscription.created").check();
    await page.getByLabel("subscription.activated").check();
    await page.getByLabel("subscription.setup_completed").check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await page.getByTestId("new-endpoint-secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.screenshot({ path: testInfo.outputPath("events-created.png"), fullPage: true });
    await page.reload();
    await expect(page.getByTestId("new-endpoint-secret")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText(secret.slice(6));

    // A buyer purchases and activates: the product hears of it, signed.
    await context.clearCookies();
    const subscriptionId = await buyAndActivate(page, { offerId: "contoso-analytics", planId: "basic" });
    await expect.poll(() => product.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    const events = product.received.map((request) => verify(secret, request));
    const ours = events.filter((event) => event.data.subscriptionId === subscriptionId);
    expect(ours.map((event) => event.type).sort()).toEqual([
      "subscription.activated",
      "subscription.created",
      "subscription.setup_completed",
    ]);
    expect(ours.map((event) => event.data.sequence).sort()).toEqual([1, 2, 3]);
    expect(ours[0]!.data.subscription.plan.displayName).toBe("Basic");

    // The product goes down: the next purchase's events fail and are retried.
    product.state.status = 503;
    await context.clearCookies();
    const second = await buyAndActivate(page, { offerId: "contoso-analytics", planId: "basic" });
    await expect
      .poll(() => product.received.filter((request) => verify(secret, request).data.subscriptionId === second).length, {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(3);

    await context.clearCookies();
    await page.goto(`/signin?callbackUrl=${encodeURIComponent("/admin/events")}`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await signInAs(page, "paula@contoso-software.example");
    await page.getByRole("link", { name: description }).click();
    await expect(page.getByRole("heading", { name: description })).toBeVisible();
    await page.getByRole("link", { name: "Waiting", exact: true }).click();
    await expect(page).toHaveURL(/status=pending/);
    const waiting = page.getByTestId("delivery-row");
    await expect(waiting.first()).toBeVisible();
    await waiting.first().locator("summary").first().click();
    await expect(waiting.first().getByTestId("attempt-row").first()).toContainText("HTTP 503");
    await expect(waiting.first().getByTestId("attempt-row").first()).toContainText("product is down");
    await page.screenshot({ path: testInfo.outputPath("events-deliveries.png"), fullPage: true });

    // Back up: replaying the waiting event delivers it at once.
    product.state.status = 204;
    const before = product.received.length;
    await page.getByRole("link", { name: "All", exact: true }).click();
    await expect(page).not.toHaveURL(/status=/);
    const row = page.getByTestId("delivery-row").filter({ hasText: "Waiting" }).first();
    // Open (it may still be open from the filtered list: the same row is kept).
    await row
      .locator("details")
      .first()
      .evaluate((details: HTMLDetailsElement) => (details.open = true));
    await confirmAction(row, "Replay this event");
    await expect(page.getByText("Queued: the event is sent again now")).toBeVisible();
    await expect.poll(() => product.received.length, { timeout: 20_000 }).toBeGreaterThan(before);

    // Rotating the secret shows the new one once; deliveries carry both signatures meanwhile.
    await page.getByText("Rotate secret…", { exact: true }).click();
    await page.getByLabel("Yes, rotate the secret").check();
    await page.getByRole("button", { name: "Confirm: rotate secret" }).click();
    const rotated = await page.getByTestId("new-endpoint-secret").inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expect(page.getByText("every delivery is signed with both secrets")).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("events-rotated.png"), fullPage: true });

    await confirmAction(page, "Delete endpoint");
    await expect(page.getByText("The endpoint was deleted")).toBeVisible();
    await expect(page.getByRole("link", { name: description })).toHaveCount(0);
  } finally {
    await product.close();
  }
});
