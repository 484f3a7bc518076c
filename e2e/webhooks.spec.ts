import { expect, test, type Page } from "@playwright/test";
import { buyAndActivate, sandbox } from "./support";

const activateAsAlice = (page: Page, name: string) =>
  buyAndActivate(page, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 5, name });

/** The subscription's card on the customer's account page, reloaded until it shows `text`. */
async function expectAccountCard(page: Page, name: string, text: string | RegExp) {
  await expect(async () => {
    await page.goto("/account");
    await expect(page.getByTestId("account-subscription").filter({ hasText: name })).toContainText(text, {
      timeout: 1000,
    });
  }).toPass({ timeout: 20_000 });
}

async function expectAcknowledged(subscriptionId: string, action: string, status: "Success" | "Failure") {
  await expect(async () => {
    const delivery = (await sandbox.deliveries(subscriptionId)).find((candidate) => candidate.action === action);
    expect(delivery?.acknowledgement?.status).toBe(status);
    expect(delivery?.acknowledgement?.autoAccepted ?? false).toBe(false);
  }).toPass({ timeout: 15_000 });
}

test("marketplace-side changes reach the portal through the webhook and are acknowledged", async ({ page }) => {
  const name = `Webhook e2e ${Date.now()}`; // unique, so the test can repeat on one database
  const id = await activateAsAlice(page, name);

  await sandbox.act(id, "ChangePlan", { planId: "enterprise-seats" });
  await expectAccountCard(page, name, "Enterprise (per user, annual)");
  await expectAcknowledged(id, "ChangePlan", "Success");

  await sandbox.act(id, "ChangeQuantity", { quantity: 40 });
  await expectAccountCard(page, name, "40 seats");
  await expectAcknowledged(id, "ChangeQuantity", "Success");

  await sandbox.act(id, "Suspend");
  await expectAccountCard(page, name, "Suspended");

  await sandbox.act(id, "Reinstate");
  await expectAccountCard(page, name, "Active");
  await expectAcknowledged(id, "Reinstate", "Success");

  await sandbox.act(id, "Renew");
  await expect(async () => {
    const renew = (await sandbox.deliveries(id)).find((candidate) => candidate.action === "Renew");
    expect(renew?.delivered).toBe(true);
  }).toPass({ timeout: 15_000 });

  await sandbox.act(id, "Unsubscribe");
  await expectAccountCard(page, name, "Cancelled");

  // The sandbox's own page shows each delivery and its acknowledgement.
  await page.goto(`${sandbox.baseUrl}/marketplace/subscriptions/${id}`);
  const changePlanDelivery = page
    .getByRole("row")
    .filter({ hasText: "ChangePlan" })
    .filter({ hasText: "(PATCH operation)" });
  await expect(changePlanDelivery.first()).toContainText("Success (PATCH operation)");
});

test("the webhook route refuses unauthenticated and oversized deliveries", async ({ request }) => {
  const small = await request.post("/api/marketplace/webhook", { data: { id: "x", action: "Suspend" } });
  expect(small.status()).toBe(401);
  const forged = await request.post("/api/marketplace/webhook", {
    data: { id: "x" },
    headers: { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0." },
  });
  expect(forged.status()).toBe(401);
  const huge = await request.post("/api/marketplace/webhook", {
    data: "x".repeat(70 * 1024),
    headers: { "content-type": "application/json" },
  });
  expect(huge.status()).toBe(413);
});

test("a flood of bad deliveries does not stop a genuine delivery or a buyer's landing", async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  const url = `${baseURL}/api/marketplace/webhook`;
  const forgedToken = `Bearer ${Buffer.from('{"alg":"RS256","kid":"nope"}').toString("base64url")}.${Buffer.from('{"aud":"x"}').toString("base64url")}.${"A".repeat(342)}`;
  const bad = [
    () =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"id":"x","action":"Suspend"}',
      }),
    () =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: forgedToken },
        body: "{not json",
      }),
    () =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer a.b.c" },
        body: "x".repeat(70 * 1024),
      }),
  ];
  const statuses: number[] = [];
  let flooding = true;
  const flood = Promise.all(
    Array.from({ length: 16 }, async (_, lane) => {
      for (let n = lane; flooding; n += 16) statuses.push((await bad[n % bad.length]!()).status);
    }),
  );
  try {
    // The buyer lands, signs in and activates while the flood runs…
    const name = `Flood e2e ${Date.now()}`;
    const id = await activateAsAlice(page, name);
    // …and Microsoft's genuine delivery is processed and acknowledged inside its 10-second window.
    await sandbox.act(id, "ChangeQuantity", { quantity: 12 });
    await expectAcknowledged(id, "ChangeQuantity", "Success");
    await expectAccountCard(page, name, "12 seats");
  } finally {
    flooding = false;
    await flood;
  }
  expect(statuses.length).toBeGreaterThan(100);
  expect(new Set(statuses)).toEqual(new Set([401, 413]));
  expect((await fetch(`${baseURL}/api/health?scope=database`)).status).toBe(200);
});
