/**
 * The portal against a usage batch answer that mixes outcomes and comes back in another order than
 * sent (sandbox variant mixed-usage-batch; marketplace-contract.md §9.3, §15.31), over HTTP on a real
 * database: each hour gets the outcome of its own item, none is lost, and nothing Microsoft took is
 * sent again.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { marketplace } from "@/lib/marketplace";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { awayFromHourBoundary } from "@/tests/support/clock";
import { deleteJobs } from "@/tests/support/jobs";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { authenticateApiKey, type AuthenticatedApiKey } from "../api-keys/authenticate-api-key";
import { createApiKey } from "../api-keys/create-api-key";
import { ingestUsage } from "./ingest-usage";
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

async function activeSubscription() {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "basic",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  const actor = { ...seeded.alice, roles: [] };
  await resolvePurchase({ token: purchase.token, actor });
  await activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor });
  return purchase.subscriptionId;
}
const hourOf = (hours: number) => new Date(hourStartOf(new Date()).getTime() - hours * HOUR_MS);
const hours = (subscriptionId: string) =>
  db().usageHour.findMany({ where: { subscriptionId }, orderBy: [{ hourStart: "asc" }, { dimension: "asc" }] });
const batchCalls = async (since: Date) =>
  (await sandbox.calls(since)).filter((call) => call.path.startsWith("/api/batchUsageEvent"));

beforeAll(async () => {
  const created = await createApiKey({
    input: { name: "mixed batch tests", scopes: ["usage:write"], offerIds: [], tenantIds: [] },
    actor: paula,
  });
  const authenticated = await authenticateApiKey({ authorization: `Bearer ${created.key}`, scope: "usage:write" });
  if (!authenticated.ok) throw new Error("the new key does not authenticate");
  apiKey = authenticated.apiKey;
});
/**
 * Usage other tests left unsent (hours, or records not yet folded into hours) would share the batch
 * and shift the positions the variant judges by: send it first, as usual, then settle what remains.
 */
async function sendLeftoverUsage() {
  await submitUsage({ trigger: "manual" });
  await settleLeftoverHours();
}
async function settleLeftoverHours() {
  await db().usageHour.updateMany({
    where: { status: { in: ["pending", "held", "submitting"] } },
    data: { status: "failed", lastError: "test cleanup" },
  });
  await deleteJobs(submitUsageJob, { states: ["created", "retry"] });
}
beforeEach(async () => {
  await awayFromHourBoundary();
  await sendLeftoverUsage();
});
afterEach(async () => {
  await sandbox.variants([]);
  await settleLeftoverHours();
});
afterAll(async () => {
  await sandbox.variants([]);
  await disconnectDatabase();
});

describe("mixed-usage-batch: Accepted, Duplicate, Expired, ResourceNotFound, InvalidQuantity in one answer, reversed", () => {
  it("each hour gets its own item's outcome; nothing is lost and nothing taken is sent again", async () => {
    const id = await activeSubscription();
    // Eight hours of one resource and dimension, 8 h ago to 1 h ago, each with its own quantity.
    const ago = [8, 7, 6, 5, 4, 3, 2, 1];
    const ingested = await ingestUsage({
      apiKey,
      body: {
        records: ago.map((h) => ({
          subscriptionId: id,
          dimension: "reports",
          quantity: 10 + h,
          effectiveAt: new Date(hourOf(h).getTime() + 10 * 60_000).toISOString(),
          idempotencyKey: randomUUID(),
        })),
      },
    });
    expect(ingested.status).toBe(202);
    // Microsoft already has hour −4 (the 5th item, judged as usual): billed by someone else.
    await marketplace().usageEvent({
      resourceId: id,
      dimension: "reports",
      quantity: 14,
      effectiveStartTime: hourOf(4),
      planId: "basic",
    });

    await sandbox.variants(["mixed-usage-batch"]);
    const since = new Date();
    await submitUsage({ trigger: "manual" });
    expect(await batchCalls(since)).toHaveLength(1);

    // Sent oldest first; of every four items Microsoft judged the 1st, and forced the 2nd, 3rd, 4th.
    const rows = await hours(id);
    expect(
      rows.map((row) => [row.hourStart.toISOString(), row.quantity.toString(), row.status, row.lastStatus]),
    ).toEqual([
      [hourOf(8).toISOString(), "18", "accepted", "Accepted"],
      [hourOf(7).toISOString(), "17", "expired", "Expired"],
      [hourOf(6).toISOString(), "16", "failed", "ResourceNotFound"],
      [hourOf(5).toISOString(), "15", "failed", "InvalidQuantity"],
      [hourOf(4).toISOString(), "14", "duplicate", "Duplicate"],
      [hourOf(3).toISOString(), "13", "expired", "Expired"],
      [hourOf(2).toISOString(), "12", "failed", "ResourceNotFound"],
      [hourOf(1).toISOString(), "11", "failed", "InvalidQuantity"],
    ]);
    const billed = await sandbox.usageEvents(id);
    const accepted = rows[0]!;
    expect(accepted.usageEventId).toBe(
      billed.find((event) => event.hourStart === hourOf(8).toISOString())?.usageEventId,
    );
    expect(accepted.billedQuantity?.toString()).toBe("18");
    expect(rows[4]!.usageEventId).toBe(billed.find((e) => e.hourStart === hourOf(4).toISOString())?.usageEventId);
    for (const row of rows.slice(1)) if (row.status !== "duplicate") expect(row.usageEventId).toBeNull();
    expect(rows.find((row) => row.status === "expired")?.lastError).toMatch(/older than 24 hours/);
    expect(rows.find((row) => row.lastStatus === "InvalidQuantity")?.lastError).toMatch(/refused the quantity/);
    // Every record is in exactly one hour, and every hour is settled: none left to send.
    expect(await db().usageRecord.count({ where: { subscriptionId: id, usageHourId: null } })).toBe(0);
    expect(rows.every((row) => row.resolvedAt !== null)).toBe(true);

    // A second run sends nothing: what Microsoft took (or refused for good) is not sent again.
    const again = new Date();
    await submitUsage({ trigger: "manual" });
    expect(await batchCalls(again)).toEqual([]);
    expect((await sandbox.usageEvents(id)).map((event) => event.hourStart).sort()).toEqual(
      [hourOf(8).toISOString(), hourOf(4).toISOString()].sort(),
    );
  });
});
