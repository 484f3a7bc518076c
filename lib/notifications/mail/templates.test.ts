import { describe, expect, it } from "vitest";
import type { NotificationData } from "../notification-data";
import { buyerKindNames, locales, publisherKindNames, type BuyerKind, type PublisherKind } from "../notification-kinds";
import { slackMessage, teamsMessage } from "../chat-message";
import { composeAlertMail } from "./alert-mail";
import { summarizeAlert } from "./alert-summary";
import { composeBuyerMail, type BuyerMailContext } from "./buyer-mail";
import { notificationTranslator } from "./translator";

const facts = {
  subscriptionId: "6f1c0000-0000-4000-8000-000000000001",
  subscriptionName: "Fabrikam analytics",
  offerId: "contoso-analytics",
  planId: "pro-seats",
  seats: 10,
};
const at = "2026-12-01T10:15:00.000Z";

const buyerData: { [K in BuyerKind]: NotificationData<K> } = {
  purchase_received: { ...facts, purchasedAt: at },
  setup_reminder: { ...facts, purchasedAt: at, hoursAfter: 24 },
  subscription_active: facts,
  change_completed: { ...facts, planChange: { from: "basic", to: "pro-seats" }, seatsChange: { from: 5, to: 10 } },
  change_failed: {
    ...facts,
    action: "ChangePlan",
    requestedPlanId: "enterprise",
    requestedQuantity: null,
    reason: "The plan is not available in this region.",
    by: "microsoft",
  },
  suspended: facts,
  reinstated: facts,
  cancelled: { ...facts, dataRetainedUntil: "2026-12-31T10:15:00.000Z" },
  colleague_invitation: { ...facts, inviterName: "Alice Admin", expiresAt: "2026-12-08T10:15:00.000Z" },
};

const alertData: { [K in PublisherKind]: NotificationData<K> } = {
  new_purchase: {
    ...facts,
    status: "Subscribed",
    activatedBy: "marketplace",
    tenantId: "22222222-2222-4222-8222-222222222222",
  },
  setup_pending: { ...facts, days: 3, since: at },
  acknowledgement_failed: {
    ...facts,
    operationId: "op-1",
    answer: "Success",
    outcome: "not_applied",
    microsoftStatus: "Failed",
    reason: "Microsoft had already settled it",
  },
  webhook_refused: {
    webhookEventId: "w-1",
    action: "Suspend",
    subscriptionId: facts.subscriptionId,
    reason: "unknown operation",
  },
  webhook_token_refused: {
    mismatch: "audience",
    reason: "claim check failed: aud (check_failed)",
    firstRefusedAt: at,
  },
  reconciliation_drift: {
    runId: "r-1",
    driftCount: 7,
    subscriptionsSeen: 40,
    samples: Array.from({ length: 7 }, (_, index) => ({
      subscriptionId: `sub-${index}`,
      field: "status",
      local: "Subscribed",
      remote: "Suspended",
    })),
  },
  usage_rejected: {
    count: 1,
    items: [
      {
        subscriptionId: facts.subscriptionId,
        dimension: "reports",
        periodStart: at,
        quantity: "12",
        status: "expired",
        reason: "too old",
      },
    ],
  },
  usage_expiring: {
    count: 2,
    items: [
      {
        subscriptionId: facts.subscriptionId,
        dimension: "reports",
        periodStart: at,
        quantity: "3",
        status: "held",
        reason: null,
      },
    ],
  },
  job_dead_lettered: {
    task: "acknowledge-operation",
    id: "j-1",
    attempts: 8,
    reason: "HTTP 500",
    consolePath: "/admin/operations",
  },
  credentials_failing: { reason: "AADSTS7000222: the client secret expired" },
  credentials_expiring: {
    credential: "certificate",
    expiresAt: "2026-12-14T00:00:00.000Z",
    daysLeft: 14,
    thumbprint: "AB12",
  },
};

const context = (locale: "en" | "ja", essential = true): BuyerMailContext => ({
  locale,
  t: notificationTranslator(locale),
  offerName: "Contoso Analytics",
  logoUrl: "https://portal.example/catalog/contoso-analytics.svg",
  planName: (planId) => ({ "pro-seats": "Professional", basic: "Basic", enterprise: "Enterprise" })[planId] ?? planId,
  recipientName: "Alice Admin",
  senderName: "Contoso SaaS",
  essential,
  links: {
    account: "https://portal.example/account/subscriptions/s",
    setup: "https://portal.example/account/subscriptions/s/setup",
    preferences: "https://portal.example/notifications/preferences?token=t",
    stopReminders: essential ? null : "https://portal.example/notifications/preferences?token=t&stop=reminders",
    azurePortal: "https://portal.azure.com/",
    invitation: "https://portal.example/account/invitations/secret",
  },
});

// The catalogs themselves (same keys and ICU placeholders in every language) are checked with all
// the portal's namespaces in lib/i18n/catalogs.test.ts.

describe("buyer mails", () => {
  for (const locale of locales)
    for (const kind of buyerKindNames)
      it(`${kind} (${locale}) renders a subject, HTML and text with its link, and nothing left unfilled`, () => {
        const mail = composeBuyerMail(kind, buyerData[kind] as never, context(locale, kind !== "setup_reminder"));
        expect(mail.subject.length).toBeGreaterThan(5);
        for (const part of [mail.subject, mail.text, mail.html]) {
          expect(part).not.toMatch(/undefined|null|NaN|\{[a-z]+\}/i);
          expect(part).not.toContain("notifications.");
        }
        expect(mail.html).toMatch(/^<!doctype html><html lang="(en|ja)">/);
        expect(mail.text).toContain("https://portal.example/notifications/preferences?token=t");
        const action = {
          purchase_received: "/setup",
          setup_reminder: "/setup",
          suspended: "https://portal.azure.com/",
          colleague_invitation: "/account/invitations/secret",
        }[kind as string];
        expect(mail.text).toContain(action ?? "https://portal.example/account/subscriptions/s");
        if (kind === "setup_reminder") expect(mail.text).toContain("stop=reminders");
        else expect(mail.text).not.toContain("stop=reminders");
      });

  it("says what a mail needs: the reason of a refused change, the retention date, the purchase date", () => {
    const en = context("en");
    expect(composeBuyerMail("change_failed", buyerData.change_failed, en).text).toContain(
      "The change of plan to Enterprise did not go through.\n\nMicrosoft's reason: The plan is not available in this region.",
    );
    expect(composeBuyerMail("cancelled", buyerData.cancelled, en).text).toContain(
      "We keep your data until December 31, 2026",
    );
    // A purchase Microsoft ended before it was ever live: no "data kept until", a way to buy again.
    const ended = composeBuyerMail("cancelled", { ...buyerData.cancelled, endedBeforeActivation: true }, en);
    expect(ended.subject).toBe("Your Contoso Analytics purchase has ended");
    expect(ended.text).toContain("buy it again from the marketplace");
    expect(ended.text).not.toContain("We keep your data");
    expect(
      composeBuyerMail("cancelled", { ...buyerData.cancelled, endedBeforeActivation: true }, context("ja")).subject,
    ).toBe("Contoso Analytics のご購入は終了しました");
    expect(composeBuyerMail("setup_reminder", buyerData.setup_reminder, context("ja", false)).text).toContain(
      "2026年12月1日に Contoso Analytics をご購入いただきました。",
    );
    expect(composeBuyerMail("change_completed", buyerData.change_completed, context("ja")).text).toContain(
      "プランを Basic から Professional に変更しました。",
    );
  });
});

describe("alerts", () => {
  for (const locale of locales)
    for (const kind of publisherKindNames)
      it(`${kind} (${locale}) summarises to a mail, a Teams card and a Slack message linking to the console`, () => {
        const summary = summarizeAlert(kind, alertData[kind] as never, {
          t: notificationTranslator(locale),
          offerName: () => "Contoso Analytics",
          planName: () => "Professional",
          consoleUrl: (path) => `https://portal.example${path}`,
          productName: "Contoso SaaS",
        });
        expect(summary.title).not.toMatch(/undefined|\{[a-z]+\}/i);
        expect(summary.link.url).toMatch(/^https:\/\/portal\.example\/admin/);
        const mail = composeAlertMail(summary, { locale, productName: "Contoso SaaS" });
        expect(mail.subject).toBe(`[Contoso SaaS] ${summary.title}`);
        expect(mail.text).toContain(summary.link.url);
        const teams = JSON.stringify(teamsMessage(summary));
        expect(teams).toContain('"type":"AdaptiveCard"');
        expect(teams).toContain(JSON.stringify(summary.link.url));
        expect(JSON.stringify(slackMessage(summary))).toContain(JSON.stringify(summary.link.url));
      });

  it("lists at most five items of a long list, and says how many more", () => {
    const summary = summarizeAlert("reconciliation_drift", alertData.reconciliation_drift, {
      t: notificationTranslator("en"),
      offerName: () => "x",
      planName: () => "y",
      consoleUrl: (path) => path,
      productName: "Contoso SaaS",
    });
    expect(summary.title).toBe("Reconciliation found 7 differences with Microsoft");
    expect(summary.facts.at(-1)).toEqual(["…", "and 2 more"]);
    expect(summary.facts).toHaveLength(1 + 5 + 1);
  });

  it("says which setting to check when webhook tokens are refused for the portal's settings", () => {
    const settingFor = {
      audience: "WEBHOOK_AUDIENCE",
      issuer: "MARKETPLACE_TENANT_ID",
      tenant: "WEBHOOK_ISSUERS",
      caller: "Entra ID",
    } as const;
    const titles = new Set<string>();
    for (const locale of locales)
      for (const mismatch of ["audience", "issuer", "tenant", "caller"] as const) {
        const summary = summarizeAlert(
          "webhook_token_refused",
          { ...alertData.webhook_token_refused, mismatch },
          {
            t: notificationTranslator(locale),
            offerName: () => "x",
            planName: () => "y",
            consoleUrl: (path) => path,
            productName: "Contoso SaaS",
          },
        );
        titles.add(summary.title);
        const text = JSON.stringify(summary);
        expect(text).not.toMatch(/undefined|\{mismatch/);
        expect(text).toContain(settingFor[mismatch]);
        expect(text).toContain("2026-12-01 10:15 UTC");
      }
    expect(titles.size).toBe(8);
    expect(
      summarizeAlert("webhook_token_refused", alertData.webhook_token_refused, {
        t: notificationTranslator("en"),
        offerName: () => "x",
        planName: () => "y",
        consoleUrl: (path) => path,
        productName: "Contoso SaaS",
      }).title,
    ).toBe(
      "Webhook tokens of Microsoft's marketplace are refused: their audience does not match the portal's settings",
    );
  });

  it("escapes what Slack would read as markup", () => {
    const message = slackMessage({
      title: "t",
      intro: "i",
      facts: [["Reason", "<https://evil.example|click> & co"]],
      link: { label: "Open", url: "https://portal.example/admin" },
      footer: "",
    }) as { blocks: Array<{ fields?: Array<{ text: string }> }> };
    expect(message.blocks.find((block) => block.fields)?.fields?.[0]?.text).toBe(
      "*Reason*\n&lt;https://evil.example|click&gt; &amp; co",
    );
  });
});
