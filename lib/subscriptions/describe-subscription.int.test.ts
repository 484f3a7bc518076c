/**
 * The customer's subscription page follows a change while it is pending (it refreshes itself) and
 * stops once it has ended. A change ends in the same transaction that stores what Microsoft shows
 * after it (settleOperation, the acknowledgement): the page must show both from one moment, never
 * "no change pending" next to the plan or term from before — it would stop refreshing and keep
 * showing the old term (the e2e plan-disclosure flake: "1 year" after an annual → monthly change).
 * A change Microsoft accepted but does not show yet keeps the page following until it does.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { settleOperation } from "@/lib/operations/follow-operation";
import { activeForAlice, alice } from "@/tests/support/alice-purchases";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { describeSubscription } from "./describe-subscription";

/** Runs once inside the next describeSubscription, after its own reads have begun: another process's commit. */
let meanwhile: (() => Promise<void>) | undefined;

// The page expires stale changes between reading the subscription and reading its changes: the
// moment another process's commit is played here.
vi.mock("@/lib/operations/expire-stale-changes", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/operations/expire-stale-changes")>();
  return {
    ...actual,
    expireStaleChanges: async (...args: Parameters<typeof actual.expireStaleChanges>) => {
      const settled = await actual.expireStaleChanges(...args);
      const commit = meanwhile;
      meanwhile = undefined;
      await commit?.();
      return settled;
    },
  };
});

const sandbox = sandboxControl();

afterEach(() => {
  meanwhile = undefined;
});

describe("a change that ends while the page is being read", () => {
  it("shows the change ended together with what Microsoft shows after it, not with the term from before", async () => {
    const id = await activeForAlice(8); // Professional (per user): monthly
    // A plan change in progress at Microsoft.
    const operation = await db().operation.create({
      data: {
        id: randomUUID(),
        subscriptionId: id,
        action: "ChangePlan",
        status: "InProgress",
        source: "Customer",
        requestedPlanId: "pro-seats",
        requestedQuantity: 8,
        marketplaceOperationId: randomUUID(),
        submittedAt: new Date(),
        actorTid: alice.tid,
        actorOid: alice.oid,
      },
    });
    const before = await describeSubscription({ subscriptionId: id, actor: alice });
    expect(before?.pending?.id).toBe(operation.id);
    expect(before?.subscription.termUnit).toBe("P1M");

    // Microsoft applied it (an annual term now); the worker ends our change with Microsoft's
    // subscription, committing while the page is being read.
    await sandbox.setTerm(id, { termUnit: "P1Y" });
    meanwhile = () =>
      settleOperation(operation, {
        id: operation.marketplaceOperationId!,
        subscriptionId: id,
        action: "ChangePlan",
        status: "Succeeded",
      });
    const view = await describeSubscription({ subscriptionId: id, actor: alice });
    expect(meanwhile).toBeUndefined(); // the commit was played

    expect({ pending: view?.pending?.id ?? null, termUnit: view?.subscription.termUnit }).toEqual({
      pending: null,
      termUnit: "P1Y",
    });
    expect(view?.lastFinished).toMatchObject({ id: operation.id, status: "Succeeded" });
  });
});

describe("a change Microsoft accepted but does not show yet", () => {
  it("keeps the page following while the change waits to show at Microsoft, and stops once it shows or its window ends", async () => {
    const id = await activeForAlice(8);
    const accepted = await db().operation.create({
      data: {
        id: randomUUID(),
        subscriptionId: id,
        action: "ChangePlan",
        status: "Succeeded",
        source: "Customer",
        requestedPlanId: "enterprise-seats",
        requestedQuantity: 10,
        marketplaceOperationId: randomUUID(),
        submittedAt: new Date(),
        completedAt: new Date(),
        confirmUntil: new Date(Date.now() + 60_000),
      },
    });
    const waiting = await describeSubscription({ subscriptionId: id, actor: alice });
    expect({ pending: waiting?.pending ?? null, awaiting: waiting?.awaitingMicrosoft }).toEqual({
      pending: null,
      awaiting: true,
    });

    // Shown at Microsoft: the confirmation closes the window.
    await db().operation.update({ where: { id: accepted.id }, data: { confirmUntil: null } });
    expect((await describeSubscription({ subscriptionId: id, actor: alice }))?.awaitingMicrosoft).toBe(false);

    // A window that ended without Microsoft showing it: no longer followed.
    await db().operation.update({ where: { id: accepted.id }, data: { confirmUntil: new Date(Date.now() - 1000) } });
    expect((await describeSubscription({ subscriptionId: id, actor: alice }))?.awaitingMicrosoft).toBe(false);
  });
});
