/**
 * A plan or seat change says what it will do before the customer confirms, and the server holds it
 * to that (decisions/0010): against the sandbox over HTTP on a real database. The review is what
 * the review page shows; the confirmation carries what was reviewed; when Microsoft's plans (or the
 * subscription) changed in between, nothing is sent. Every field the change moves is audited.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { marketplace } from "@/lib/marketplace";
import { startJobs } from "@/tests/support/jobs";
import { reviewAndConfirm, reviewChange } from "@/tests/support/customer-change";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { activateSubscription } from "./activate-subscription";
import type { CustomerChange } from "./request-subscription-change";
import { requestSubscriptionChange } from "./request-subscription-change";
import { readSubscription } from "./read-subscription";
import { resolvePurchase } from "./resolve-purchase";
import { reviewSubscriptionChange } from "./review-subscription-change";
import { syncSubscription } from "./sync-subscription";
import type { ConsequenceNote } from "./change-consequences";
import { noteWords, priceWords } from "./subscription-words";
import { wordsFor } from "./words-for";

const sandbox = sandboxControl();
// The consequences are data; the review page's English words for them (money: a no-break space read as a space).
const en = wordsFor("en");
const plain = (text: string) => text.replace(/\u00a0/g, " ");
const words = (notes: ConsequenceNote[]) => notes.map((note) => plain(noteWords(en.t, en.format, note)));
const alice = { ...seeded.alice, roles: [] };
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;

async function activeSubscription(planId: string, quantity?: number) {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId,
    quantity,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  await activateSubscription({
    subscriptionId: purchase.subscriptionId,
    accountConfig: {
      companyName: "Fabrikam",
      contactName: "Alice",
      contactEmail: "alice@fabrikam.example",
      acceptTerms: "on",
    },
    actor: alice,
  });
  return purchase.subscriptionId;
}

const local = (id: string) => db().subscription.findUniqueOrThrow({ where: { id } });
const operations = (id: string) =>
  db().operation.findMany({
    where: { subscriptionId: id, action: { not: "Activate" } },
    orderBy: { createdAt: "asc" },
  });
const audit = (id: string, action: string) =>
  db().auditEvent.findMany({ where: { subscriptionId: id, action }, orderBy: { createdAt: "asc" } });
const patches = async (id: string, since: Date) =>
  (await sandbox.calls(since)).filter((call) => call.method === "PATCH" && call.path.includes(id));
const settled = (id: string) =>
  until(
    () => operations(id),
    (rows) => rows.length > 0 && rows.every((row) => !["Requested", "NotStarted", "InProgress"].includes(row.status)),
    "operation settled",
  );

async function ready(id: string, change: Parameters<typeof reviewSubscriptionChange>[0]["change"]) {
  const result = await reviewSubscriptionChange({ subscriptionId: id, actor: alice, change });
  if (result?.review.state !== "ready") throw new Error(`review not ready: ${JSON.stringify(result?.review)}`);
  return result.review.consequences;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({ webhookUrl: receiver.url, operationDelayMs: 300, ackTimeoutMs: 10_000 });
  worker = await startJobs();
});
afterEach(async () => {
  await sandbox.clearFaults();
});
afterAll(async () => {
  await worker?.stop();
  await sandbox.settings({ operationDelayMs: 2000 });
  await receiver.close();
  await disconnectDatabase();
});

describe("8 seats on Professional → Enterprise (minimum 10, annual)", () => {
  it("the review says 10 seats instead of 8 and an annual term; confirmed, the change ends with exactly that, every field audited", async () => {
    const id = await activeSubscription("pro-seats", 8);
    const before = await local(id);
    const consequences = await ready(id, { kind: "plan", planId: "enterprise-seats" });
    expect(consequences.after).toMatchObject({ seats: 10, termUnits: ["P1Y"] });
    expect(words(consequences.notes.filter((note) => note.tone === "attention"))).toEqual([
      "Enterprise (per user, annual) needs at least 10 seats: you will have 10 seats instead of 8.",
      expect.stringMatching(/^Your term changes from 1 month to 1 year\. /),
    ]);
    expect(plain(priceWords(en.t, en.format, consequences.after.price!))).toBe(
      "USD 2,400.00 per year for 10 seats (USD 240.00 per user per year)",
    );

    const { operationId } = await requestSubscriptionChange({
      subscriptionId: id,
      actor: alice,
      change: { kind: "plan", planId: "enterprise-seats", reviewed: consequences.reviewed },
    });
    const [requested] = await audit(id, "change_requested");
    expect(requested).toMatchObject({
      actorType: "user",
      actorOid: seeded.alice.oid,
      detail: {
        operationId,
        action: "ChangePlan",
        plan: { from: "pro-seats", to: "enterprise-seats" },
        seats: { from: 8, to: 10 },
        term: { from: "P1M", to: "P1Y", offered: ["P1Y"] },
        reviewed: true,
      },
    });

    const [done] = await settled(id);
    expect(done?.status).toBe("Succeeded");
    // After the change: what was reviewed, at Microsoft and here.
    const after = await until(
      () => local(id),
      (row) => row.termUnit === "P1Y",
      "the annual term stored",
    );
    expect(after).toMatchObject({ planId: "enterprise-seats", quantity: 10 });
    expect((await sandbox.subscription(id)).subscription).toMatchObject({ planId: "enterprise-seats", quantity: 10 });
    const [planChanged] = await audit(id, "plan_changed");
    expect(planChanged?.detail).toMatchObject({
      from: "pro-seats",
      to: "enterprise-seats",
      seats: { from: 8, to: 10 },
    });
    const termChanged = await audit(id, "term_changed");
    expect(termChanged).toHaveLength(1);
    expect(termChanged[0]?.detail).toMatchObject({
      from: {
        unit: "P1M",
        start: before.termStartDate?.toISOString().slice(0, 10),
        end: before.termEndDate?.toISOString().slice(0, 10),
      },
      to: {
        unit: "P1Y",
        start: after.termStartDate?.toISOString().slice(0, 10),
        end: after.termEndDate?.toISOString().slice(0, 10),
      },
    });
    // The new term really is a year (the sandbox starts it on the day of the change, marketplace-contract.md §15.24).
    const days = (after.termEndDate!.getTime() - after.termStartDate!.getTime()) / 86_400_000;
    expect(days).toBeGreaterThanOrEqual(364);
    expect(days).toBeLessThanOrEqual(365);
  });
});

describe("the server holds the change to what was reviewed", () => {
  it("Microsoft's plan changed between review and confirm (a higher minimum): refused, nothing sent or recorded; the next review shows the new terms", async () => {
    const id = await activeSubscription("pro-seats", 8);
    const reviewed = (await ready(id, { kind: "plan", planId: "enterprise-seats" })).reviewed;
    expect(reviewed.seats).toBe(10);
    // Microsoft's list now says Enterprise needs 12 seats.
    const plans = await marketplace().listAvailablePlans(id);
    await sandbox.addFault({
      method: "GET",
      pathPattern: `${id}/listAvailablePlans`,
      status: 200,
      body: { plans: plans.map((plan) => (plan.planId === "enterprise-seats" ? { ...plan, minQuantity: 12 } : plan)) },
      times: 1,
    });
    const since = new Date();
    await expect(
      requestSubscriptionChange({
        subscriptionId: id,
        actor: alice,
        change: { kind: "plan", planId: "enterprise-seats", reviewed },
      }),
    ).rejects.toMatchObject({
      code: "change_terms_changed",
      message: expect.stringContaining("The plan's terms changed since you reviewed them: please review again."),
    });
    expect(await operations(id)).toHaveLength(0);
    expect(await audit(id, "change_requested")).toHaveLength(0);
    expect(await patches(id, since)).toHaveLength(0);
    // The confirmation read the plans afresh: reviewing again shows what the change would do now.
    const again = await ready(id, { kind: "plan", planId: "enterprise-seats" });
    expect(words(again.notes)[0]).toBe(
      "Enterprise (per user, annual) needs at least 12 seats: you will have 12 seats instead of 8.",
    );
  });

  it("the subscription changed between review and confirm (seats added in the Azure portal): refused, nothing sent", async () => {
    const id = await activeSubscription("pro-seats", 8);
    const reviewed = (await ready(id, { kind: "plan", planId: "enterprise-seats" })).reviewed;
    await sandbox.act(id, "ChangeQuantity", { quantity: 12 });
    await until(
      () => local(id),
      (row) => row.quantity === 12,
      "Microsoft's seat change applied here",
    );
    await settled(id);
    const before = (await operations(id)).length;
    await expect(
      requestSubscriptionChange({
        subscriptionId: id,
        actor: alice,
        change: { kind: "plan", planId: "enterprise-seats", reviewed },
      }),
    ).rejects.toMatchObject({ code: "change_terms_changed" });
    expect(await operations(id)).toHaveLength(before);
    // Reviewed afresh, 12 seats are kept, and the change goes through.
    const again = await ready(id, { kind: "plan", planId: "enterprise-seats" });
    expect(again.seatsAdjusted).toBeNull();
    expect(again.after.seats).toBe(12);
  });

  it("tampered terms (fewer seats than the change gives) are refused", async () => {
    const id = await activeSubscription("pro-seats", 8);
    const reviewed = (await ready(id, { kind: "plan", planId: "enterprise-seats" })).reviewed;
    await expect(
      requestSubscriptionChange({
        subscriptionId: id,
        actor: alice,
        change: { kind: "plan", planId: "enterprise-seats", reviewed: { ...reviewed, seats: 8 } },
      }),
    ).rejects.toMatchObject({ code: "change_terms_changed" });
    expect(await operations(id)).toHaveLength(0);
  });

  it("a plan or seat change without reviewed terms is refused (a forged post), recording nothing", async () => {
    const id = await activeSubscription("pro-seats", 8);
    const forged = { kind: "quantity", quantity: "9" } as unknown as CustomerChange;
    await expect(requestSubscriptionChange({ subscriptionId: id, actor: alice, change: forged })).rejects.toMatchObject(
      { code: "invalid_input", message: "Review the change before confirming it." },
    );
    expect(await operations(id)).toHaveLength(0);
    expect(await audit(id, "change_requested")).toHaveLength(0);
  });
});

describe("seats outside the plan's range", () => {
  it("the review refuses with both limits in words, and so does the server; nothing is recorded", async () => {
    const id = await activeSubscription("enterprise-seats", 10);
    const result = await reviewSubscriptionChange({
      subscriptionId: id,
      actor: alice,
      change: { kind: "quantity", quantity: "6000" },
    });
    const message =
      "Enterprise (per user, annual) allows at most 5,000 seats: choose between 10 and 5,000, or a larger plan.";
    expect(result?.review).toEqual({
      state: "invalid",
      refusal: { code: "seats-above-plan-maximum", plan: "Enterprise (per user, annual)", min: 10, max: 5000 },
    });
    const reviewed = await reviewChange({
      subscriptionId: id,
      actor: alice,
      change: { kind: "quantity", quantity: 20 },
    });
    await expect(
      requestSubscriptionChange({
        subscriptionId: id,
        actor: alice,
        change: { kind: "quantity", quantity: "6000", reviewed: { ...reviewed, seats: 6000 } },
      }),
    ).rejects.toMatchObject({ code: "invalid_input", message, fieldErrors: { quantity: [message] } });
    expect(await operations(id)).toHaveLength(0);
  });
});

describe("a seat change", () => {
  it("is reviewed with its price, confirmed, and audited with the seats it moves (no term change)", async () => {
    const id = await activeSubscription("enterprise-seats", 10);
    const consequences = await ready(id, { kind: "quantity", quantity: "25" });
    expect(words(consequences.notes)).toEqual([
      "You will have 25 seats instead of 10.",
      expect.stringMatching(/^Your term stays 1 year: the current term ends on \w+ \d{1,2}, \d{4}\.$/),
      "Price after the change: USD 6,000.00 per year for 25 seats (USD 240.00 per user per year); now USD 2,400.00 per year for 10 seats (USD 240.00 per user per year).",
    ]);
    await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "25" } });
    const [requested] = await audit(id, "change_requested");
    expect(requested?.detail).toMatchObject({ action: "ChangeQuantity", seats: { from: 10, to: 25 }, reviewed: true });
    expect(requested?.detail).not.toHaveProperty("term");
    expect(requested?.detail).not.toHaveProperty("plan");
    await settled(id);
    expect((await local(id)).quantity).toBe(25);
    expect(await audit(id, "quantity_changed")).toMatchObject([{ detail: { from: 10, to: 25 } }]);
    expect(await audit(id, "term_changed")).toHaveLength(0);
  });
});

describe("a change the portal only learns from Microsoft's subscription", () => {
  it("a plan change made in the Azure portal whose webhook was lost: the next read records plan, seats and term", async () => {
    const id = await activeSubscription("pro-seats", 8);
    await sandbox.settings({ ackTimeoutMs: 300 });
    try {
      await sandbox.act(id, "ChangePlan", { planId: "enterprise-seats", deliver: "drop" });
      await until(
        () => sandbox.subscription(id),
        (remote) => remote.subscription.planId === "enterprise-seats",
        "auto-accepted at Microsoft",
      );
    } finally {
      await sandbox.settings({ ackTimeoutMs: 10_000 });
    }
    const snapshot = await readSubscription(id);
    await db().$transaction((tx) =>
      syncSubscription(tx, { snapshot, actor: { actorType: "system" }, reason: "reconciliation" }),
    );
    expect(await local(id)).toMatchObject({ planId: "enterprise-seats", quantity: 10, termUnit: "P1Y" });
    expect(await audit(id, "plan_changed")).toMatchObject([
      {
        actorType: "system",
        detail: { from: "pro-seats", to: "enterprise-seats", seats: { from: 8, to: 10 }, reason: "reconciliation" },
      },
    ]);
    expect(await audit(id, "term_changed")).toMatchObject([
      { detail: { from: { unit: "P1M" }, to: { unit: "P1Y" }, reason: "reconciliation" } },
    ]);
    // Read again: nothing moved, nothing more is recorded.
    const again = await readSubscription(id);
    await db().$transaction((tx) =>
      syncSubscription(tx, { snapshot: again, actor: { actorType: "system" }, reason: "reconciliation" }),
    );
    expect(await audit(id, "plan_changed")).toHaveLength(1);
    expect(await audit(id, "term_changed")).toHaveLength(1);
  });
});
