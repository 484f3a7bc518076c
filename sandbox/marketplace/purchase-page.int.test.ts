import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CARL, LANDING_URL, NINA, startEmulator, waitFor, type RunningEmulator } from "./test-harness";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

function form(fields: Record<string, string>): { body: string; headers: Record<string, string> } {
  return {
    body: new URLSearchParams(fields).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  };
}

describe("purchase page", () => {
  it("shows a labelled form and the sandbox banner", async () => {
    const reply = await emu.request("GET", "/purchase");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/text\/html/);
    for (const [id, label] of [
      ["plan", "Offer and plan"],
      ["quantity", "Seats"],
      ["buyer", "Buyer"],
      ["csp", "CSP purchase"],
      ["name", "Subscription name"],
      ["isTest", "Test purchase"],
      ["isFreeTrial", "Free trial"],
      ["preview", "Preview purchase"],
    ]) {
      expect(reply.text).toContain(`<label for="${id}">${label}</label>`);
    }
    expect(reply.text).toContain("Local sandbox — not Microsoft");
    expect(reply.text).toContain("Contoso Analytics — Professional (per user)");
    expect(reply.text).toContain("Alice Admin (alice@fabrikam.example) — Fabrikam, Inc.");
    expect(reply.text).not.toContain("Paula Publisher");
    expect(reply.text).toContain('<button type="submit">Buy</button>');
    expect(reply.text).toContain('value="Fabrikam analytics"');
  });

  it("buys through the offer's preview: the offer id is <offer>-preview, with the offer's plans and rules", async () => {
    const reply = await emu.request(
      "POST",
      "/purchase",
      form({
        plan: "contoso-analytics/pro-seats",
        quantity: "3",
        buyer: `${NINA.tid}/${NINA.oid}`,
        name: "Northwind preview",
        preview: "on",
      }),
    );
    expect(reply.status).toBe(302);
    const token = new URL(String(reply.headers.location)).searchParams.get("token") ?? "";
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(resolved.json()).toMatchObject({
      offerId: "contoso-analytics-preview",
      planId: "pro-seats",
      subscription: { offerId: "contoso-analytics-preview" },
    });
    const id = resolved.json<{ id: string }>().id;
    const plans = await emu.api("GET", `/api/saas/subscriptions/${id}/listAvailablePlans`);
    expect(plans.json<{ plans: Array<{ planId: string }> }>().plans.map((p) => p.planId)).toEqual([
      "basic",
      "pro-seats",
      "enterprise-seats",
    ]);
    const activation = await emu.api("POST", `/api/saas/subscriptions/${id}/activate`, {
      body: { planId: "pro-seats", quantity: 3 },
    });
    expect(activation.status).toBe(200);
  });

  it("buys and redirects to the landing page with the encoded token", async () => {
    const reply = await emu.request(
      "POST",
      "/purchase",
      form({
        plan: "contoso-analytics/pro-seats",
        quantity: "12",
        buyer: `${NINA.tid}/${NINA.oid}`,
        name: "Northwind analytics",
        csp: "on",
        isTest: "on",
      }),
    );
    expect(reply.status).toBe(302);
    const location = String(reply.headers.location);
    expect(location.startsWith(`${LANDING_URL}?token=`)).toBe(true);
    const rawToken = location.slice(`${LANDING_URL}?token=`.length);
    expect(rawToken).toMatch(/%2B/);
    expect(rawToken).toMatch(/%2F/);
    expect(rawToken).toMatch(/%3D/);

    const token = new URL(location).searchParams.get("token") ?? "";
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.json()).toMatchObject({
      subscriptionName: "Northwind analytics",
      planId: "pro-seats",
      quantity: 12,
      subscription: {
        isTest: true,
        sandboxType: "Csp",
        allowedCustomerOperations: ["Read"],
        beneficiary: { tenantId: NINA.tid, objectId: NINA.oid },
        purchaser: { tenantId: CARL.tid, objectId: CARL.oid },
      },
    });
  });

  it("says, before the buyer buys, whether the plan starts at once or when the publisher activates it", async () => {
    const classic = await emu.request("GET", "/purchase");
    // The first plan (Contoso Analytics — Basic) is classic and selected; the select points to the notice.
    expect(classic.text).toContain('aria-describedby="activation-mode plan-hint"');
    expect(classic.text).toContain(
      '<p class="notice" id="activation-mode" aria-live="polite"><strong id="activation-title">Starts when the publisher activates it.</strong> <span id="activation-detail">You first set up your account with the publisher; the subscription and its billing begin when they activate it.</span></p>',
    );
    // Every plan's option carries its words for the page script, and the list names the mode of each.
    expect(classic.text).toMatch(
      /<option value="contoso-backup\/standard-auto"[^>]* data-activation-title="Starts at once\." data-activation-detail="The subscription and its billing begin when you buy; you then set up your account with the publisher\."/,
    );
    expect(classic.text).toContain(
      "<li>Contoso Cloud Backup — Standard (starts at once): $49 per month; starts when you buy.</li>",
    );
    expect(classic.text).toContain(
      "<li>Contoso Cloud Backup — Standard: $49 per month; starts when the publisher activates it.</li>",
    );
    expect(classic.text).toContain(
      "<li>Contoso Cloud Backup — Premium (3 years, billed monthly): $179 per month for 3 years; starts when the publisher activates it.</li>",
    );

    // A form sent back with an auto-activated plan selected says so.
    const rejected = await emu.request(
      "POST",
      "/purchase",
      form({ plan: "contoso-backup/team-auto", quantity: "99", buyer: `${NINA.tid}/${NINA.oid}`, name: "Team" }),
    );
    expect(rejected.status).toBe(400);
    expect(rejected.text).toContain(
      '<strong id="activation-title">Starts at once.</strong> <span id="activation-detail">The subscription and its billing begin when you buy; you then set up your account with the publisher.</span>',
    );
  });

  it("buys an auto-activated plan: Subscribed at once, Subscribe webhook sent, buyer still sent to the landing page", async () => {
    const reply = await emu.request(
      "POST",
      "/purchase",
      form({ plan: "contoso-backup/team-auto", quantity: "4", buyer: `${NINA.tid}/${NINA.oid}`, name: "Team backup" }),
    );
    expect(reply.status).toBe(302);
    const location = String(reply.headers.location);
    expect(location.startsWith(`${LANDING_URL}?token=`)).toBe(true);
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": new URL(location).searchParams.get("token") ?? "" },
    });
    expect(resolved.json()).toMatchObject({
      planId: "team-auto",
      quantity: 4,
      subscription: { saasSubscriptionStatus: "Subscribed" },
    });
    const id = resolved.json<{ id: string }>().id;
    const webhook = await waitFor(async () =>
      emu.webhooks?.received.find((w) => w.body.subscriptionId === id && w.body.action === "Subscribe"),
    );
    expect(webhook.body).toMatchObject({ status: "Succeeded", operationRequestSource: "Azure", quantity: 4 });

    const page = await emu.request("GET", `/marketplace/subscriptions/${id}`);
    expect(page.text).toContain("Automatic: Subscribed at purchase, announced by a Subscribe webhook");
  });

  it("ignores the hidden seat field for flat plans", async () => {
    const reply = await emu.request(
      "POST",
      "/purchase",
      form({ plan: "contoso-backup/standard", quantity: "3", buyer: `${NINA.tid}/${NINA.oid}`, name: "Backup" }),
    );
    expect(reply.status).toBe(302);
  });

  it("re-renders the form with clear errors and the values sent", async () => {
    const reply = await emu.request(
      "POST",
      "/purchase",
      form({
        plan: "contoso-analytics/enterprise-seats",
        quantity: "3",
        buyer: `${NINA.tid}/${NINA.oid}`,
        name: "<script>alert(1)</script>",
      }),
    );
    expect(reply.status).toBe(400);
    expect(reply.text).toContain('role="alert"');
    expect(reply.text).toContain("allows 10–5000 seats");
    expect(reply.text).toContain('value="&#60;script&#62;alert(1)&#60;/script&#62;"');
    expect(reply.text).not.toContain("<script>alert(1)");
    expect(reply.text).toMatch(/<option value="contoso-analytics\/enterprise-seats"[^>]* selected>/);

    const missingSeats = await emu.request(
      "POST",
      "/purchase",
      form({ plan: "contoso-analytics/pro-seats", quantity: "", buyer: `${NINA.tid}/${NINA.oid}`, name: "x" }),
    );
    expect(missingSeats.status).toBe(400);
    expect(missingSeats.text).toContain("Enter the number of seats");
  });
});

describe("sandbox home", () => {
  it("lists subscriptions and opens the landing page with a new token", async () => {
    const bought = await emu.request(
      "POST",
      "/purchase",
      form({ plan: "contoso-backup/premium", buyer: `${NINA.tid}/${NINA.oid}`, name: "Premium backup" }),
    );
    const firstToken = new URL(String(bought.headers.location)).searchParams.get("token") ?? "";
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": firstToken },
    });
    const id = resolved.json<{ id: string }>().id;

    const home = await emu.request("GET", "/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Premium backup");
    expect(home.text).toContain("PendingFulfillmentStart");
    expect(home.text).toContain(`action="/marketplace/subscriptions/${id}/open-landing-page"`);
    expect(home.text).toContain("Open landing page (new token)");

    const open = await emu.request("POST", `/marketplace/subscriptions/${id}/open-landing-page`);
    expect(open.status).toBe(302);
    const newToken = new URL(String(open.headers.location)).searchParams.get("token") ?? "";
    expect(newToken).not.toBe(firstToken);
    const again = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": newToken },
    });
    expect(again.json<{ id: string }>().id).toBe(id);

    expect(
      (await emu.request("POST", "/marketplace/subscriptions/00000000-0000-4000-8000-000000000000/open-landing-page"))
        .status,
    ).toBe(404);
  });

  it("leaves other paths to the identity provider", async () => {
    const reply = await emu.request(
      "GET",
      "/11111111-1111-4111-8111-111111111111/v2.0/.well-known/openid-configuration",
    );
    expect(reply.json()).toEqual({ error: { code: "NotFound", message: "not the emulator's" } });
  });
});
