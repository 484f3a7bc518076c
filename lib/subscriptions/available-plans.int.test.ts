/**
 * Microsoft's plans for a subscription (listAvailablePlans) are cached per process, so the page →
 * review → confirm of one unchanged subscription asks Microsoft once. In production the web
 * instances serve the pages while a separate worker process records what changes the subscription
 * (a change settled, a webhook accepted, reconciliation): a list cached by a web instance must not
 * outlive a change recorded by any process. Here the other process's write is played in this one
 * through the same write path, without anything else this process would do afterwards.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { marketplace } from "@/lib/marketplace";
import { activeForAlice, alice, localSubscription } from "@/tests/support/alice-purchases";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { applyAcceptedChange } from "./apply-accepted-change";
import { describeSubscription } from "./describe-subscription";
import { readSubscription } from "./read-subscription";
import { reviewSubscriptionChange } from "./review-subscription-change";
import { syncSubscription } from "./sync-subscription";

const sandbox = sandboxControl();

/** The listAvailablePlans calls Microsoft answered for this subscription since `since`. */
const planReads = async (subscriptionId: string, since: Date) =>
  (await sandbox.calls({ since, operation: "listAvailablePlans", subscriptionId })).length;

const page = async (subscriptionId: string) => {
  const view = await describeSubscription({ subscriptionId, actor: alice });
  expect(view?.plansError).toBe(false);
  expect(view?.plans.length).toBeGreaterThan(0);
  return view!;
};

/** Another process's write, as the worker makes it. */
const writers = {
  /** settleOperation, reconciliation and the publisher's re-sync store Microsoft's subscription so. */
  "Microsoft's subscription synced (a new term)": async (id: string) => {
    await sandbox.setTerm(id, { termUnit: "P1Y" });
    const snapshot = await readSubscription(id);
    await db().$transaction((tx) =>
      syncSubscription(tx, { snapshot, actor: { actorType: "system" }, reason: "operation ChangePlan Succeeded" }),
    );
    return (view: Awaited<ReturnType<typeof page>>) => expect(view.subscription.termUnit).toBe("P1Y");
  },
  /** The webhook job, accepting a seat change made in the Azure portal. */
  "a seat change accepted from Microsoft's webhook": async (id: string) => {
    const subscription = await localSubscription(id);
    await db().$transaction((tx) =>
      applyAcceptedChange(tx, {
        subscription,
        change: { kind: "quantity", quantity: 9 },
        actor: { actorType: "system" },
        detail: { operationId: randomUUID(), source: "Azure" },
      }),
    );
    return (view: Awaited<ReturnType<typeof page>>) => expect(view.subscription.quantity).toBe(9);
  },
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the plans a subscription may move to, cached per process", () => {
  it("an unchanged subscription: once its page has the list, the review and the page again do not ask Microsoft", async () => {
    const id = await activeForAlice(5);
    await page(id);
    const since = new Date();
    const review = await reviewSubscriptionChange({
      subscriptionId: id,
      actor: alice,
      change: { kind: "quantity", quantity: 6 },
    });
    expect(review?.review.state).toBe("ready");
    await page(id);
    expect(await planReads(id, since)).toBe(0);
  });

  it.each(Object.keys(writers) as Array<keyof typeof writers>)(
    "%s by another process: the next page asks Microsoft again",
    async (writer) => {
      const id = await activeForAlice(5);
      await page(id); // cached in this (web) process
      const shows = await writers[writer](id);
      const since = new Date();
      shows(await page(id));
      expect(await planReads(id, since)).toBe(1);
      // …and the list fetched after the change is the one cached.
      await page(id);
      expect(await planReads(id, since)).toBe(1);
    },
  );

  it("a list Microsoft answered before a change that another process records meanwhile is not served after it", async () => {
    const id = await activeForAlice(5);
    const client = marketplace();
    const listAvailablePlans = client.listAvailablePlans.bind(client);
    let written: Awaited<ReturnType<(typeof writers)[keyof typeof writers]>> | undefined;
    vi.spyOn(client, "listAvailablePlans").mockImplementationOnce(async (...args) => {
      const plans = await listAvailablePlans(...args);
      // Microsoft answered; the worker records a change before this page stores the answer.
      written = await writers["a seat change accepted from Microsoft's webhook"](id);
      return plans;
    });
    await page(id); // the first since activation: asks Microsoft
    expect(written, "the page asked Microsoft").toBeDefined();
    const since = new Date();
    written!(await page(id));
    expect(await planReads(id, since)).toBe(1);
  });
});
