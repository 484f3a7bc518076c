/**
 * Usage reconciliation end to end on a real database against the sandbox's Metering API
 * (marketplace-contract.md §9.5, §15.23): the portal bills usage, the sandbox plays what Microsoft
 * reports about it (a Rejected hour, a Mismatch with another processed quantity, an unknown status,
 * rows per day or per hour), and the portal records each finding with both sides' quantities,
 * audits it once, and changes nothing when it finds the same again.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDashboard } from "@/lib/admin/get-dashboard";
import { listUsageReconciliation } from "@/lib/admin/list-usage-reconciliation";
import { db, disconnectDatabase } from "@/lib/db";
import { marketplace } from "@/lib/marketplace";
import { pruneRecords } from "@/lib/retention/prune-records";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { awayFromHourBoundary } from "@/tests/support/clock";
import { deleteJobs, startJobs } from "@/tests/support/jobs";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { authenticateApiKey, type AuthenticatedApiKey } from "../api-keys/authenticate-api-key";
import { createApiKey } from "../api-keys/create-api-key";
import { ingestUsage } from "./ingest-usage";
import { reconcileUsage, reconcileUsageJob, requestUsageReconciliation } from "./reconcile-usage";
import { submitUsage, submitUsageJob } from "./submit-usage";
import { HOUR_MS, hourStartOf } from "./usage-window";

const sandbox = sandboxControl();
const paula = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
const config = {
  companyName: "Fabrikam, Inc.",
  contactName: "Alice Admin",
  contactEmail: "alice@fabrikam.example",
  acceptTerms: "on" as const,
};
let apiKey: AuthenticatedApiKey;

async function activeSubscription(offerId: string, planId: string, name = `Recon ${randomUUID().slice(0, 8)}`) {
  const purchase = await sandbox.purchase({ offerId, planId, name, beneficiary: seeded.alice });
  const actor = { ...seeded.alice, roles: [] };
  await resolvePurchase({ token: purchase.token, actor });
  await activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor });
  return purchase.subscriptionId;
}

/** The start of the UTC hour `hours` before the current one. */
const hourOf = (hours: number) => new Date(hourStartOf(new Date()).getTime() - hours * HOUR_MS);
const dayOf = (date: Date) => new Date(`${date.toISOString().slice(0, 10)}T00:00:00Z`);

/** Reports usage through the ingest API and bills it at once (the portal's own path to Microsoft). */
async function bill(records: Array<{ subscriptionId: string; dimension: string; hours: number; quantity: number }>) {
  const answer = await ingestUsage({
    apiKey,
    body: {
      records: records.map((r) => ({
        subscriptionId: r.subscriptionId,
        dimension: r.dimension,
        quantity: r.quantity,
        effectiveAt: new Date(hourOf(r.hours).getTime() + 10 * 60_000).toISOString(),
        idempotencyKey: randomUUID(),
      })),
    },
  });
  expect(answer.status).toBe(202);
  await submitUsage({ trigger: "manual" });
  for (const r of records) {
    const hour = await db().usageHour.findUnique({
      where: {
        subscriptionId_dimension_hourStart: {
          subscriptionId: r.subscriptionId,
          dimension: r.dimension,
          hourStart: hourOf(r.hours),
        },
      },
    });
    expect(hour?.status).toBe("accepted");
  }
}

const findings = (subscriptionId: string) =>
  db().usageReconciliation.findMany({
    where: { subscriptionId },
    orderBy: [{ periodStart: "asc" }, { dimension: "asc" }],
  });
const summary = async (subscriptionId: string) =>
  (await findings(subscriptionId)).map((f) => ({
    dimension: f.dimension,
    period: f.period,
    periodStart: f.periodStart.toISOString(),
    outcome: f.outcome,
    reconStatus: f.reconStatus,
    ours: f.ourQuantity.toFixed(),
    submitted: f.submittedQuantity?.toFixed() ?? null,
    processed: f.processedQuantity?.toFixed() ?? null,
  }));
const audits = (subscriptionId: string) =>
  db().auditEvent.findMany({
    where: { subscriptionId, action: { in: ["usage_rejected", "usage_mismatch", "usage_missing"] } },
    orderBy: { id: "asc" },
  });
const reconcile = (graceHours = 0) => reconcileUsage({ trigger: "manual", graceHours });

beforeAll(async () => {
  const created = await createApiKey({
    input: { name: "reconciliation tests", scopes: ["usage:write"], offerIds: [], tenantIds: [] },
    actor: paula,
  });
  const authenticated = await authenticateApiKey({ authorization: `Bearer ${created.key}`, scope: "usage:write" });
  if (!authenticated.ok) throw new Error("the new key does not authenticate");
  apiKey = authenticated.apiKey;
});

// Hours are computed from the real clock here, in the portal and in the sandbox.
beforeEach(() => awayFromHourBoundary());

afterEach(async () => {
  await sandbox.clearUsageReconciliation();
  await sandbox.variants([]);
  await deleteJobs(submitUsageJob, { states: ["created", "retry"] });
  await deleteJobs(reconcileUsageJob, { states: ["created", "retry"] });
});

afterAll(async () => {
  await disconnectDatabase();
});

describe("usage reconciliation with GET /usageEvents", () => {
  it("daily rows: a Rejected hour and a Mismatch are recorded with both sides' quantities, audited once; a re-run changes nothing", async () => {
    const backup = await activeSubscription("contoso-backup", "standard");
    const analytics = await activeSubscription("contoso-analytics", "basic");
    await bill([
      { subscriptionId: backup, dimension: "storage-gb", hours: 2, quantity: 4 },
      { subscriptionId: backup, dimension: "restores", hours: 2, quantity: 6 },
      { subscriptionId: analytics, dimension: "reports", hours: 2, quantity: 3.25 },
    ]);
    await sandbox.setUsageReconciliation({
      subscriptionId: backup,
      dimension: "storage-gb",
      hour: hourOf(2),
      reconStatus: "Rejected",
    });
    await sandbox.setUsageReconciliation({
      subscriptionId: backup,
      dimension: "restores",
      hour: hourOf(2),
      reconStatus: "Mismatch",
      processedQuantity: 5,
    });

    const first = await reconcile();
    expect(first.period).toBe("day");
    const day = dayOf(hourOf(2)).toISOString();
    expect(await summary(backup)).toEqual([
      {
        dimension: "restores",
        period: "day",
        periodStart: day,
        outcome: "mismatch",
        reconStatus: "Mismatch",
        ours: "6",
        submitted: "6",
        processed: "5",
      },
      {
        dimension: "storage-gb",
        period: "day",
        periodStart: day,
        outcome: "rejected",
        reconStatus: "Rejected",
        ours: "4",
        submitted: "4",
        processed: "0",
      },
    ]);
    expect(await summary(analytics)).toEqual([
      expect.objectContaining({ outcome: "matched", reconStatus: "Accepted", ours: "3.25", processed: "3.25" }),
    ]);
    const audited = await audits(backup);
    expect(audited.map((a) => a.action).sort()).toEqual(["usage_mismatch", "usage_rejected"]);
    expect((await findings(backup))[0]).toMatchObject({
      planId: "standard",
      planName: "Standard",
      offerId: "contoso-backup",
      offerName: "Contoso Cloud Backup",
      ourHours: 1,
      submittedCount: 1,
    });
    expect(audited.find((a) => a.action === "usage_mismatch")?.detail).toMatchObject({
      dimension: "restores",
      period: "day",
      ourQuantity: "6",
      submittedQuantity: "6",
      processedQuantity: "5",
      reconStatus: "Mismatch",
    });
    expect(await audits(analytics)).toEqual([]);
    // The product hears of the rejection (not of the mismatch: that usage was billed, differently).
    const rejectedEvents = () =>
      db().outboxEvent.findMany({
        where: { subscriptionId: backup, type: "usage_rejected" },
        select: { payload: true },
      });
    expect((await rejectedEvents()).map((event) => event.payload)).toEqual([
      expect.objectContaining({
        usage: {
          dimension: "storage-gb",
          period: "day",
          periodStart: day,
          quantity: "4",
          status: "rejected",
          marketplaceStatus: "Rejected",
          reason: expect.any(String),
        },
      }),
    ]);

    // The same answer again: no new finding, no new audit, the outcome's age kept.
    const before = await findings(backup);
    const second = await reconcile();
    expect(second.newAlerts).toBe(0);
    const after = await findings(backup);
    expect(after.map((f) => [f.id, f.outcome, f.outcomeSince.getTime()])).toEqual(
      before.map((f) => [f.id, f.outcome, f.outcomeSince.getTime()]),
    );
    expect(after[0]?.checkedAt.getTime()).toBeGreaterThanOrEqual(before[0]?.checkedAt.getTime() ?? Infinity);
    expect(await audits(backup)).toHaveLength(2);
    expect(await rejectedEvents()).toHaveLength(1);

    // The console lists them with names, filterable; the dashboard counts them.
    const listed = await listUsageReconciliation({ outcome: "attention", subscription: backup, page: 1 });
    expect(listed.rows.map((r) => [r.dimension, r.outcome, r.subscriptionName, r.offerId])).toEqual([
      ["restores", "mismatch", expect.stringMatching(/^Recon /), "contoso-backup"],
      ["storage-gb", "rejected", expect.stringMatching(/^Recon /), "contoso-backup"],
    ]);
    expect(
      (await listUsageReconciliation({ outcome: "rejected", subscription: backup, page: 1 })).rows.map(
        (r) => r.dimension,
      ),
    ).toEqual(["storage-gb"]);
    const dashboard = await getDashboard();
    expect(dashboard.attention.find((item) => item.key === "usage-reconciliation")).toMatchObject({
      href: "/admin/usage/reconciliation",
    });
    expect(dashboard.attention.find((item) => item.key === "usage-reconciliation")?.count).toBeGreaterThanOrEqual(2);

    // Microsoft takes it back: matched, and nothing audited for that.
    await sandbox.clearUsageReconciliation(backup);
    await reconcile();
    expect((await summary(backup)).map((f) => f.outcome)).toEqual(["matched", "matched"]);
    expect(await audits(backup)).toHaveLength(2);
  });

  it("hourly rows (variant hourly-usage-events): each hour against its own; a billed hour without a row is missing after the grace period", async () => {
    const id = await activeSubscription("contoso-analytics", "basic");
    await bill([1, 2, 3].map((hours) => ({ subscriptionId: id, dimension: "reports", hours, quantity: hours * 2 })));
    // An hour Microsoft accepted but does not report (written as billed without reaching the sandbox).
    await db().usageHour.create({
      data: {
        subscriptionId: id,
        dimension: "reports",
        hourStart: hourOf(4),
        planId: "basic",
        quantity: "9",
        submittedQuantity: "9",
        billedQuantity: "9",
        status: "accepted",
        usageEventId: randomUUID(),
        resolvedAt: new Date(),
      },
    });
    await sandbox.variants(["hourly-usage-events"]);
    await sandbox.setUsageReconciliation({
      subscriptionId: id,
      dimension: "reports",
      hour: hourOf(2),
      reconStatus: "Rejected",
    });
    await sandbox.setUsageReconciliation({
      subscriptionId: id,
      dimension: "reports",
      hour: hourOf(1),
      reconStatus: "Mismatch",
      processedQuantity: 1,
    });

    // Within the grace period the missing hour is only pending; Microsoft's own verdicts count at once.
    expect((await reconcile(24)).period).toBe("hour");
    const hourly = (await summary(id)).map((f) => [
      f.periodStart,
      f.period,
      f.outcome,
      f.ours,
      f.submitted,
      f.processed,
    ]);
    expect(hourly).toEqual([
      [hourOf(4).toISOString(), "hour", "pending", "9", null, null],
      [hourOf(3).toISOString(), "hour", "matched", "6", "6", "6"],
      [hourOf(2).toISOString(), "hour", "rejected", "4", "4", "0"],
      [hourOf(1).toISOString(), "hour", "mismatch", "2", "2", "1"],
    ]);
    expect((await audits(id)).map((a) => a.action)).toEqual(["usage_rejected", "usage_mismatch"]);

    await reconcile(0);
    expect((await summary(id))[0]).toMatchObject({ outcome: "missing", ours: "9", submitted: null });
    expect((await audits(id)).map((a) => a.action)).toEqual(["usage_rejected", "usage_mismatch", "usage_missing"]);
    await reconcile(0);
    expect(await audits(id)).toHaveLength(3);

    // Back to daily rows: the hourly findings give way to one per day, compared with the sum of its hours.
    await sandbox.variants([]);
    expect((await reconcile(0)).period).toBe("day");
    const daily = await summary(id);
    expect(daily.every((f) => f.period === "day")).toBe(true);
    const days = [...new Set([1, 2, 3].map((h) => dayOf(hourOf(h)).toISOString()))];
    expect(daily.map((f) => f.periodStart)).toEqual([...new Set([...days, dayOf(hourOf(4)).toISOString()])].sort());
    // The Rejected hour makes its day rejected.
    expect(daily.find((f) => f.periodStart === dayOf(hourOf(2)).toISOString())?.outcome).toBe("rejected");
  });

  it("two checks at once (the schedule and a click) record and audit a new rejection once", async () => {
    const id = await activeSubscription("contoso-analytics", "basic");
    await bill([{ subscriptionId: id, dimension: "reports", hours: 1, quantity: 4 }]);
    await sandbox.setUsageReconciliation({
      subscriptionId: id,
      dimension: "reports",
      day: hourOf(1).toISOString().slice(0, 10),
      reconStatus: "Rejected",
    });
    const runs = await Promise.all([
      reconcileUsage({ trigger: "schedule", graceHours: 0 }),
      reconcileUsage({ trigger: "manual", graceHours: 0 }),
    ]);
    expect(runs.map((run) => run.outcomes.rejected ?? 0).every((count) => count >= 1)).toBe(true);
    expect((await summary(id)).map((f) => f.outcome)).toEqual(["rejected"]);
    expect((await audits(id)).map((a) => a.action)).toEqual(["usage_rejected"]);
  });

  it("carries a reconStatus the portal does not know as its text: pending, not audited", async () => {
    const id = await activeSubscription("contoso-analytics", "basic");
    await bill([{ subscriptionId: id, dimension: "reports", hours: 2, quantity: 5 }]);
    await sandbox.setUsageReconciliation({
      subscriptionId: id,
      dimension: "reports",
      hour: hourOf(2),
      reconStatus: "PendingReview",
      processedQuantity: 5,
    });
    await reconcile();
    expect(await summary(id)).toEqual([
      expect.objectContaining({ outcome: "pending", reconStatus: "PendingReview", ours: "5", processed: "5" }),
    ]);
    expect((await findings(id))[0]?.reason).toMatch(/"PendingReview", which the portal does not know/);
    expect(await audits(id)).toEqual([]);
    const listed = await listUsageReconciliation({ outcome: "pending", subscription: id, page: 1 });
    expect(listed.rows.map((r) => r.reconStatus)).toEqual(["PendingReview"]);
  });

  it("records usage of a resource the portal does not have, audited without a subscription link", async () => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "basic",
      beneficiary: seeded.alice,
    });
    // Billed by someone else's code: Microsoft has it, the portal never saw the subscription.
    await marketplace().activateSubscription(purchase.subscriptionId, { planId: "basic" });
    const {
      items: [item],
    } = await marketplace().batchUsageEvent([
      {
        resourceId: purchase.subscriptionId,
        quantity: 7,
        dimension: "reports",
        effectiveStartTime: hourOf(2),
        planId: "basic",
      },
    ]);
    expect(item?.status).toBe("Accepted");
    // Per day, today's row is not judged on a difference before the day ends; per hour it is.
    await reconcile();
    expect(await summary(purchase.subscriptionId)).toEqual([
      expect.objectContaining({ period: "day", outcome: "pending", ours: "0", submitted: "7" }),
    ]);
    await sandbox.variants(["hourly-usage-events"]);
    await reconcile();
    expect(await summary(purchase.subscriptionId)).toEqual([
      expect.objectContaining({ period: "hour", outcome: "mismatch", ours: "0", submitted: "7", processed: "7" }),
    ]);
    const audit = await db().auditEvent.findFirst({
      where: { action: "usage_mismatch", detail: { path: ["resourceId"], equals: purchase.subscriptionId } },
    });
    expect(audit).toMatchObject({ subscriptionId: null, actorType: "system" });
  });

  it("Check with Microsoft now: queues one run, audited, that the worker carries out", async () => {
    const id = await activeSubscription("contoso-analytics", "basic");
    await bill([{ subscriptionId: id, dimension: "reports", hours: 1, quantity: 2 }]);
    await sandbox.setUsageReconciliation({
      subscriptionId: id,
      dimension: "reports",
      hour: hourOf(1),
      reconStatus: "Rejected",
    });
    const workers = await startJobs();
    try {
      expect(await requestUsageReconciliation({ actor: paula })).toBe(true);
      await until(
        () => findings(id),
        (rows) => rows.some((row) => row.outcome === "rejected"),
        "the rejected hour recorded by the worker",
      );
    } finally {
      await workers.stop();
    }
    expect(
      await db().auditEvent.count({
        where: { action: "usage_reconciliation_requested", actorTid: paula.tid, actorOid: paula.oid },
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(await audits(id)).toHaveLength(1);
  });

  it("prunes findings older than USAGE_RECONCILIATION_RETENTION_DAYS, keeping recent ones", async () => {
    const id = randomUUID();
    const base = {
      subscriptionId: id,
      dimension: "reports",
      period: "day" as const,
      ourQuantity: "1",
      ourHours: 1,
      outcome: "rejected" as const,
      outcomeSince: new Date(),
      checkedAt: new Date(),
    };
    await db().usageReconciliation.createMany({
      data: [
        { ...base, periodStart: new Date(Date.now() - 91 * 86_400_000) },
        { ...base, periodStart: new Date(Date.now() - 30 * 86_400_000) },
      ],
    });
    expect((await pruneRecords()).usageReconciliations).toBeGreaterThanOrEqual(1);
    expect((await findings(id)).map((f) => Math.round((Date.now() - f.periodStart.getTime()) / 86_400_000))).toEqual([
      30,
    ]);
  });
});
