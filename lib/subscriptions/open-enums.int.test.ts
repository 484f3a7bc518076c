/**
 * Values Microsoft may send outside its documented lists (marketplace-contract.md §5.3, §15.12):
 * term units such as `PAY` or `P5Y`, a `chargeDuration`, a subscription status we do not know.
 * Each is stored as sent and shown, and nothing that reads subscriptions breaks: the buyer's and
 * the console's pages (their data and the landing summary rendered), the webhook jobs,
 * reconciliation and the CSV export.
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PurchaseSummary } from "@/app/(buyer)/landing/purchase-summary";
import { exportSubscriptionsCsv } from "@/lib/admin/export-subscriptions-csv";
import { getDashboard } from "@/lib/admin/get-dashboard";
import { getSubscriptionDetail } from "@/lib/admin/get-subscription-detail";
import { listSubscriptions } from "@/lib/admin/list-subscriptions";
import { resyncSubscription } from "@/lib/admin/resync-subscription";
import { parseSubscriptionQuery } from "@/lib/admin/subscription-query";
import { db, disconnectDatabase } from "@/lib/db";
import { formats } from "@/lib/i18n/formats";
import type { Locale } from "@/lib/i18n/locales";
import { messagesFor } from "@/lib/i18n/messages";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { reconcileSubscriptions } from "@/lib/reconciliation/reconcile-subscriptions";
import { startJobs } from "@/tests/support/jobs";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { describeSubscription } from "./describe-subscription";
import { describeTerm } from "./describe-term";
import { termWords } from "./subscription-words";
import { wordsFor } from "./words-for";
import { listOwnSubscriptions } from "./find-own-subscription";
import { resolvePurchase } from "./resolve-purchase";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };
const publisher = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001", roles: [] };
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;

const local = (id: string) => db().subscription.findUniqueOrThrow({ where: { id } });
const csvFor = async (id: string) => {
  const parsed = parseSubscriptionQuery({ q: id });
  if (!parsed.ok) throw new Error(parsed.reason);
  const text = await new Response(await exportSubscriptionsCsv(parsed.query)).text();
  const [header, row, extra] = text.trimEnd().split("\r\n").map(csvCells);
  expect(extra).toBeUndefined();
  return Object.fromEntries(header!.map((name, index) => [name, row![index]]));
};
/** One CSV line's cells (RFC 4180 quotes; no line breaks inside cells here). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      cells.push(cell);
      cell = "";
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}
/** Everything that reads a subscription for a page, a list or an export: none of it may throw. */
async function everyReader(id: string) {
  const view = await describeSubscription({ subscriptionId: id, actor: alice });
  expect(view?.subscription.id).toBe(id);
  expect((await listOwnSubscriptions({ actor: alice })).some((row) => row.id === id)).toBe(true);
  const detail = await getSubscriptionDetail(id);
  expect(detail?.subscription.id).toBe(id);
  const parsed = parseSubscriptionQuery({ q: id });
  if (!parsed.ok) throw new Error(parsed.reason);
  expect((await listSubscriptions(parsed.query)).rows.map((row) => row.id)).toEqual([id]);
  expect((await getDashboard()).total).toBeGreaterThan(0);
  return { view: view!, detail: detail!, csv: await csvFor(id) };
}

async function autoActivated(
  planId = "team-auto",
  quantity: number | undefined = planId === "team-auto" ? 3 : undefined,
) {
  const purchase = await sandbox.purchase({
    offerId: "contoso-backup",
    planId,
    ...(quantity === undefined ? {} : { quantity }),
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  const id = purchase.subscriptionId.toLowerCase();
  await until(
    () => db().webhookEvent.findMany({ where: { subscriptionId: id, action: "Subscribe" } }),
    (rows) => rows[0]?.status === "applied",
    "Subscribe applied",
  );
  return { ...purchase, id };
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({
    webhookUrl: receiver.url,
    ackTimeoutMs: 10_000,
    webhookMaxAttempts: 4,
    webhookBackoffMs: 200,
  });
  worker = await startJobs();
});
afterEach(async () => {
  await sandbox.clearFaults();
});
afterAll(async () => {
  await worker?.stop();
  await receiver.close();
  await disconnectDatabase();
});

describe("term units and charge durations", () => {
  it("an undocumented term unit (PAY) with a charge duration is stored, shown as it is, and breaks nothing", async () => {
    const { id, token } = await autoActivated();
    await sandbox.setTerm(id, { termUnit: "PAY", chargeDuration: "P1M" });
    await resyncSubscription({ subscriptionId: id, actor: publisher });
    expect(await local(id)).toMatchObject({ termUnit: "PAY", termChargeDuration: "P1M", status: "Subscribed" });

    const { view, csv } = await everyReader(id);
    expect(
      termWords(
        wordsFor("en").t,
        describeTerm({ termUnit: view.subscription.termUnit, chargeDuration: view.subscription.termChargeDuration }),
      ),
    ).toBe("PAY, charged every month");
    expect(csv).toMatchObject({
      termUnit: "PAY",
      termChargeDuration: "P1M",
      activatedBy: "marketplace",
      setupState: "pending",
    });
    // The landing page's summary renders it as it is.
    const purchase = await resolvePurchase({ token, actor: alice });
    expect(purchase.term).toMatchObject({ unit: "PAY", chargeDuration: "P1M" });
    const summary = (locale: Locale) =>
      renderToStaticMarkup(
        // eslint-disable-next-line react/no-children-prop -- in a .ts file; createElement's rest argument does not satisfy the provider's props type
        createElement(NextIntlClientProvider, {
          locale,
          messages: messagesFor(locale),
          formats,
          timeZone: "UTC",
          children: createElement(PurchaseSummary, { view: purchase }),
        }),
      );
    expect(summary("en")).toContain("PAY, charged every month");
    expect(summary("ja")).toContain("PAY（毎月請求）");

    // A job (the Renew webhook) and reconciliation run over it.
    await sandbox.act(id, "Renew");
    await until(
      () => db().webhookEvent.findMany({ where: { subscriptionId: id, action: "Renew" } }),
      (rows) => rows[0]?.status === "applied",
      "Renew applied",
    );
    expect((await local(id)).termUnit).toBe("PAY");
    const run = await reconcileSubscriptions({ trigger: "manual" });
    expect(run.status).toBe("succeeded");
    expect(await db().drift.count({ where: { runId: run.id, subscriptionId: id } })).toBe(0);
  });

  it("a 5-year term billed yearly, and a 3-year term billed monthly from the catalog, are described in words", async () => {
    const { id } = await autoActivated("standard-auto");
    await sandbox.setTerm(id, { termUnit: "P5Y", chargeDuration: "P1Y" });
    await resyncSubscription({ subscriptionId: id, actor: publisher });
    const { view, csv } = await everyReader(id);
    expect(
      termWords(
        wordsFor("en").t,
        describeTerm({ termUnit: view.subscription.termUnit, chargeDuration: view.subscription.termChargeDuration }),
      ),
    ).toBe("5 years, charged every year");
    expect(csv).toMatchObject({ termUnit: "P5Y", termChargeDuration: "P1Y" });

    const classic = await sandbox.purchase({
      offerId: "contoso-backup",
      planId: "premium-3y",
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    });
    const landed = await resolvePurchase({ token: classic.token, actor: alice });
    expect(
      termWords(
        wordsFor("en").t,
        describeTerm({ termUnit: landed.term.unit, chargeDuration: landed.term.chargeDuration }),
      ),
    ).toBe("3 years, charged every month");
  });
});

describe("a subscription status we do not know", () => {
  it("is recorded as Microsoft's raw status while ours stays; pages, reconciliation and the CSV keep working", async () => {
    const { id } = await autoActivated();
    const remote = (await sandbox.subscription(id)).subscription;
    const unknown = { ...remote, saasSubscriptionStatus: "PendingPayment" };
    await sandbox.addFault({
      method: "GET",
      pathPattern: `/saas/subscriptions/${id}$`,
      status: 200,
      body: unknown,
      times: 1,
    });
    const result = await resyncSubscription({ subscriptionId: id, actor: publisher });
    expect(result).toMatchObject({ status: "Subscribed", refused: true });
    expect(await local(id)).toMatchObject({ status: "Subscribed", marketplaceStatus: "PendingPayment" });
    const { detail, csv } = await everyReader(id);
    expect(detail.subscription.marketplaceStatus).toBe("PendingPayment");
    expect(csv).toMatchObject({ status: "Subscribed", marketplaceStatus: "PendingPayment" });

    // Reconciliation sees it in Microsoft's list: the drift is recorded (the state machine refuses it), the run succeeds, nothing moves.
    await sandbox.addFault({
      method: "GET",
      pathPattern: "/saas/subscriptions$",
      status: 200,
      body: { subscriptions: [unknown] },
      times: 1,
    });
    const run = await reconcileSubscriptions({ trigger: "manual" });
    expect(run.status).toBe("succeeded");
    expect(await db().drift.findMany({ where: { runId: run.id, subscriptionId: id } })).toMatchObject([
      { field: "status", localValue: "Subscribed", remoteValue: "PendingPayment", resolution: "refused" },
    ]);
    expect((await local(id)).status).toBe("Subscribed");

    // The next read with a status we know converges.
    await resyncSubscription({ subscriptionId: id, actor: publisher });
    expect(await local(id)).toMatchObject({ status: "Subscribed", marketplaceStatus: "Subscribed" });
  });

  it("a subscription first seen with an unknown status starts NotStarted, keeps Microsoft's status, and is listed", async () => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-backup",
      planId: "premium",
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    });
    const id = purchase.subscriptionId.toLowerCase();
    const remote = (await sandbox.subscription(id)).subscription;
    await sandbox.addFault({
      method: "GET",
      pathPattern: "/saas/subscriptions$",
      status: 200,
      body: { subscriptions: [{ ...remote, saasSubscriptionStatus: "Provisioning " }] },
      times: 1,
    });
    const run = await reconcileSubscriptions({ trigger: "manual" });
    expect(run.status).toBe("succeeded");
    expect(await local(id)).toMatchObject({
      status: "NotStarted",
      marketplaceStatus: "Provisioning",
      activatedBy: null,
      setupState: "pending",
    });
    const { csv } = await everyReader(id);
    expect(csv).toMatchObject({ status: "NotStarted", marketplaceStatus: "Provisioning", activatedBy: "" });
  });
});
