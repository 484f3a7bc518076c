/**
 * Reconciliation over more than one page of Microsoft's list (100 per page, marketplace-contract.md §6.3):
 * every subscription on every page is seen and recorded, following @nextLink.
 */
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { reconcileSubscriptions } from "./reconcile-subscriptions";

const sandbox = sandboxControl();
afterAll(async () => {
  await disconnectDatabase();
});

describe("reconciliation paging", () => {
  it("walks past 100 subscriptions: every one Microsoft lists is recorded, through a second page", async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < 11; batch += 1) {
      const purchases = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          sandbox.purchase({
            // Oscar (Northwind): a seeded buyer no test signs in as, so these rows crowd nobody's account page.
            offerId: "contoso-analytics",
            planId: "basic",
            name: `Paging ${batch * 10 + n}`,
            beneficiary: { tid: seeded.northwind, oid: "c3000000-0000-4000-8000-000000000002" },
          }),
        ),
      );
      ids.push(...purchases.map((purchase) => purchase.subscriptionId));
    }
    const since = new Date();
    const run = await reconcileSubscriptions({ trigger: "cli" });
    expect(run.status).toBe("succeeded");
    expect(run.subscriptionsSeen).toBeGreaterThanOrEqual(110);
    expect(await db().subscription.count({ where: { id: { in: ids } } })).toBe(110);
    const drifts = await db().drift.findMany({ where: { runId: run.id, subscriptionId: { in: ids } } });
    expect(drifts).toHaveLength(110);
    expect(drifts.every((drift) => drift.field === "missing" && drift.resolution === "synced")).toBe(true);
    const lists = (await sandbox.calls(since)).filter(
      (call) =>
        call.method === "GET" &&
        call.path.startsWith("/api/saas/subscriptions") &&
        !call.path.includes("/operations") &&
        !/subscriptions\/[0-9a-f-]{36}/.test(call.path),
    );
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(lists.some((call) => call.path.includes("continuationToken="))).toBe(true);
  }, 60_000);
});
