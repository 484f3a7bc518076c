/**
 * The portal against a purchase Microsoft ends because nobody activated it in time (sandbox variant
 * pending-expiry; marketplace-contract.md §15.10), over HTTP on a real database: the Unsubscribe
 * webhook ends the pending state, the landing page for the purchase's token says the purchase
 * expired and how to buy again (in English and Japanese), and nothing is sent to activate it.
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PurchaseEnded } from "@/app/(buyer)/landing/purchase-ended";
import { db, disconnectDatabase } from "@/lib/db";
import { formats } from "@/lib/i18n/formats";
import type { Locale } from "@/lib/i18n/locales";
import { messagesFor } from "@/lib/i18n/messages";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { startJobs } from "@/tests/support/jobs";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { activateSubscription } from "./activate-subscription";
import { resolvePurchase, type PurchaseView } from "./resolve-purchase";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };
const config = {
  companyName: "Fabrikam",
  contactName: "Alice",
  contactEmail: "alice@fabrikam.example",
  acceptTerms: "on" as const,
};
const EXPIRY_MS = 2500;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;

const buy = () =>
  sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
const local = (id: string) => db().subscription.findUniqueOrThrow({ where: { id } });
const landing = (view: PurchaseView, locale: Locale) =>
  renderToStaticMarkup(
    // eslint-disable-next-line react/no-children-prop -- in a .ts file; createElement's rest argument does not satisfy the provider's props type
    createElement(NextIntlClientProvider, {
      locale,
      messages: messagesFor(locale),
      formats,
      timeZone: "UTC",
      children: createElement(PurchaseEnded, { view, product: "Contoso Analytics" }),
    }),
  );

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({ webhookUrl: receiver.url, pendingExpiryMs: EXPIRY_MS });
  worker = await startJobs();
});
afterEach(async () => {
  await sandbox.variants([]);
});
afterAll(async () => {
  await worker?.stop();
  await sandbox.settings({ pendingExpiryMs: 120_000 });
  await receiver.close();
  await disconnectDatabase();
});

describe("pending-expiry: Microsoft ends a purchase left pending", () => {
  it("the Unsubscribe webhook ends the pending state; the landing page says the purchase expired and how to buy again", async () => {
    await sandbox.variants(["pending-expiry"]);
    const purchase = await buy();
    const id = purchase.subscriptionId;
    // The buyer opened the landing page, then never activated.
    expect((await resolvePurchase({ token: purchase.token, actor: alice })).status).toBe("PendingFulfillmentStart");

    const row = await until(
      () => local(id),
      (r) => r.status === "Unsubscribed",
      "ended by Microsoft",
      // Expiry, then the webhook, its job and the read from Microsoft: seconds, more on a loaded machine.
      EXPIRY_MS + 30_000,
    );
    expect(row).toMatchObject({ activatedAt: null, activatedBy: null });
    expect(await db().subscription.count({ where: { id, status: "PendingFulfillmentStart" } })).toBe(0);
    const [event] = await until(
      () => db().webhookEvent.findMany({ where: { subscriptionId: id, action: "Unsubscribe" } }),
      (rows) => rows.length === 1 && rows[0]!.status !== "received" && rows[0]!.status !== "processing",
      "the Unsubscribe webhook processed",
    );
    expect(event).toMatchObject({ status: "applied", requestSource: "Azure" });
    // The buyers' mail says the purchase ended before it was set up — not "cancelled, data kept until".
    const [mail] = await until(
      () => db().notification.findMany({ where: { subscriptionId: id, kind: "cancelled" } }),
      (rows) => rows.length === 1,
      "the buyers' mail about the end",
    );
    expect(mail!.data).toMatchObject({ endedBeforeActivation: true });
    const atMicrosoft = await sandbox.subscription(id);
    expect(atMicrosoft.subscription.saasSubscriptionStatus).toBe("Unsubscribed");
    expect(atMicrosoft.operations.map((op) => [op.action, op.operationRequestSource])).toEqual([
      ["Unsubscribe", "Azure"],
    ]);

    // The buyer comes back with the same link.
    const view = await resolvePurchase({ token: purchase.token, actor: alice });
    expect(view).toMatchObject({ status: "Unsubscribed", endedBeforeActivation: true });
    const english = landing(view, "en");
    expect(english).toContain("This purchase has expired");
    expect(english).toContain("buy it again in the marketplace");
    expect(english).not.toContain("has been cancelled");
    const japanese = landing(view, "ja");
    expect(japanese).toContain("この購入は有効期限が切れています");
    expect(japanese).toContain("マーケットプレースでもう一度購入してください");

    // An activation submitted now is refused by the portal itself: nothing goes to Microsoft.
    const since = new Date();
    await expect(
      activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
    ).rejects.toMatchObject({ code: "not_activatable" });
    expect(await sandbox.calls({ since, operation: "activate", subscriptionId: id })).toEqual([]);
  }, 60_000);

  it("an activated purchase is not expired, and a cancelled live one still reads as cancelled, not expired", async () => {
    await sandbox.variants(["pending-expiry"]);
    const purchase = await buy();
    const id = purchase.subscriptionId;
    await resolvePurchase({ token: purchase.token, actor: alice });
    await activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice });
    await until(
      () => local(id),
      (r) => r.status === "Subscribed",
      "activated",
    );
    await new Promise((resolve) => setTimeout(resolve, EXPIRY_MS + 1000));
    expect((await sandbox.subscription(id)).subscription.saasSubscriptionStatus).toBe("Subscribed");
    expect((await local(id)).status).toBe("Subscribed");

    await sandbox.act(id, "Unsubscribe");
    await until(
      () => local(id),
      (r) => r.status === "Unsubscribed",
      "cancelled",
    );
    const view = await resolvePurchase({ token: purchase.token, actor: alice });
    expect(view).toMatchObject({ status: "Unsubscribed", endedBeforeActivation: false });
    expect(landing(view, "en")).toContain("This subscription has been cancelled");
  });

  it("off: a purchase stays pending past the window", async () => {
    const purchase = await buy();
    await resolvePurchase({ token: purchase.token, actor: alice });
    await new Promise((resolve) => setTimeout(resolve, EXPIRY_MS + 1000));
    expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
      "PendingFulfillmentStart",
    );
    expect((await local(purchase.subscriptionId)).status).toBe("PendingFulfillmentStart");
  });
});
