/**
 * The portal against the answers a gateway in front of Microsoft's API gives instead of the API
 * itself (sandbox variants throttle-no-retry-after and html-errors; marketplace-contract.md §15.9,
 * §15.29), over HTTP on a real database: a call refused this way is retried only when that is safe,
 * within a bound, and ends with a clear error; nothing is processed twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { isMarketplaceError, marketplace, type MarketplaceError } from "@/lib/marketplace";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { reviewAndConfirm } from "@/tests/support/customer-change";
import { startJobs } from "@/tests/support/jobs";
import { sandboxControl, withVariants, type RecordedCall } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import {
  alice,
  aliceAccountConfig as config,
  localSubscription as local,
  purchasedByAlice as purchased,
} from "@/tests/support/alice-purchases";

const sandbox = sandboxControl();
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let worker: RunningWorkers | undefined;

const changes = (id: string) =>
  db().operation.findMany({
    where: { subscriptionId: id, action: { not: "Activate" } },
    orderBy: { createdAt: "asc" },
  });
const settled = (id: string) =>
  until(
    () => changes(id),
    (rows) => rows.length >= 1 && rows.every((row) => !["Requested", "NotStarted", "InProgress"].includes(row.status)),
    "change settled",
    30_000,
  );
/** Calls of one operation to one subscription since a time, oldest first. */
const callsOf = (since: Date, operation: RecordedCall["operation"], subscriptionId?: string) =>
  sandbox.calls({ since, operation: operation ?? undefined, subscriptionId });
const caught = async (promise: Promise<unknown>): Promise<MarketplaceError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isMarketplaceError(error)) throw new Error(`expected a MarketplaceError, got ${String(error)}`);
  return error;
};

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({ webhookUrl: receiver.url, operationDelayMs: 300, ackTimeoutMs: 10_000 });
  worker = await startJobs();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await sandbox.variants([]);
  await sandbox.clearFaults();
  await sandbox.settings({ throttledTries: 1, gatewayErrorTries: 1 });
});
afterAll(async () => {
  await worker?.stop();
  await sandbox.settings({ operationDelayMs: 2000 });
  await receiver.close();
  await disconnectDatabase();
});

describe("throttle-no-retry-after: 429 without Retry-After", () => {
  it("each call backs off by itself and goes through; Activate and the seat change are processed once each", async () => {
    await withVariants(["throttle-no-retry-after"], async () => {
      const since = new Date();
      const id = await purchased();
      const resolves = await callsOf(since, "resolve");
      expect(resolves.map((call) => [call.status, call.answeredBy])).toEqual([
        [429, "throttle-no-retry-after"],
        [200, undefined],
      ]);

      await expect(
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "activated" });
      const activates = await callsOf(since, "activate", id);
      expect(activates.map((call) => call.status)).toEqual([429, 200]);
      expect(activates[0]!.correlationId).toBe(activates[1]!.correlationId);

      await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "7" } });
      const [change] = await settled(id);
      expect(change).toMatchObject({ status: "Succeeded", marketplaceOperationId: expect.any(String) });
      const patches = await callsOf(since, "updateSubscription", id);
      expect(patches.map((call) => call.status)).toEqual([429, 202]);
      expect((await sandbox.subscription(id)).operations.filter((op) => op.action === "ChangeQuantity")).toHaveLength(
        1,
      );
      expect((await local(id)).quantity).toBe(7);
    });
  });

  it("a call throttled past the bound gives up after MARKETPLACE_MAX_RETRIES + 1 tries with a clear error", async () => {
    const id = await purchased();
    await withVariants(["throttle-no-retry-after"], async () => {
      await sandbox.settings({ throttledTries: 50 });
      const since = new Date();
      const started = performance.now();
      const error = await caught(marketplace().getSubscription(id));
      const elapsed = performance.now() - started;
      expect(error).toMatchObject({ kind: "throttled", status: 429, mayHaveTakenEffect: false });
      expect(error.message).toBe(
        "getSubscription: the marketplace answered 429 (Rate limit is exceeded. Try again later.); gave up after 3 tries (no Retry-After: our own backoff), try again later",
      );
      // Our own backoff (500 ms, then 1 s, full jitter): bounded, never Microsoft's silence.
      expect(elapsed).toBeLessThan(10_000);
      expect((await callsOf(since, "getSubscription", id)).map((call) => call.status)).toEqual([429, 429, 429]);
    });
  });

  it("an Activate throttled past the bound is refused (never processed) and the buyer is told Microsoft is not answering", async () => {
    const id = await purchased();
    await withVariants(["throttle-no-retry-after"], async () => {
      await sandbox.settings({ throttledTries: 50 });
      const since = new Date();
      await expect(
        activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
      ).rejects.toMatchObject({ code: "marketplace_unavailable" });
      const activates = await callsOf(since, "activate", id);
      expect(activates.every((call) => call.status === 429 && call.answeredBy === "throttle-no-retry-after")).toBe(
        true,
      );
      expect(activates).toHaveLength(3);
      const activation = await db().operation.findFirstOrThrow({ where: { subscriptionId: id, action: "Activate" } });
      expect(activation.status).toBe("Failed");
      expect(activation.errorMessage).toMatch(/answered 429 .*gave up after 3 tries/);
      expect((await sandbox.subscription(id)).subscription.saasSubscriptionStatus).toBe("PendingFulfillmentStart");
    });
    // Microsoft never took it: the buyer may simply try again.
    await expect(
      activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice }),
    ).resolves.toMatchObject({ outcome: "activated" });
  });
});

describe("html-errors: 5xx as an HTML page (text/html), a gateway's 502/503 in front of the API", () => {
  const MARKER = "sandbox-html-error-page";
  /** Everything the portal logs meanwhile (the logger writes one JSON line per entry to the console). */
  function captureLogs(): () => string {
    const lines: string[] = [];
    for (const method of ["log", "warn", "error", "info", "debug"] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
      });
    return () => lines.join("\n");
  }

  it("a read answered by a gateway's 502 page is retried as a transient error and succeeds", async () => {
    const id = await purchased();
    await withVariants(["html-errors"], async () => {
      const logs = captureLogs();
      const since = new Date();
      await expect(marketplace().getSubscription(id)).resolves.toMatchObject({ id });
      expect((await callsOf(since, "getSubscription", id)).map((call) => [call.status, call.answeredBy])).toEqual([
        [502, "html-errors"],
        [200, undefined],
      ]);
      expect(logs()).not.toContain(MARKER);
      expect(logs()).not.toMatch(/<html|<!DOCTYPE/i);
    });
  });

  it("gives up after its bound with a short message naming the page, never its markup; the buyer sees 'not answering'", async () => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 3,
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    });
    const id = await purchased();
    await withVariants(["html-errors"], async () => {
      await sandbox.settings({ gatewayErrorTries: 50 });
      const logs = captureLogs();
      const since = new Date();
      const error = await caught(marketplace().getSubscription(id));
      expect(error).toMatchObject({ kind: "unavailable", status: 502, mayHaveTakenEffect: true });
      expect(error.message).toBe(
        'getSubscription: the marketplace answered 502 (an HTML page, not JSON: "502 Bad Gateway"); gave up after 3 tries, try again later',
      );
      expect((await callsOf(since, "getSubscription", id)).map((call) => call.status)).toEqual([502, 503, 502]);

      // Resolve is a POST: its 5xx comes from the API itself (an injected 500), as HTML too.
      await sandbox.addFault({ method: "POST", pathPattern: "/saas/subscriptions/resolve", status: 500, times: 3 });
      const failure = await resolvePurchase({ token: purchase.token, actor: alice }).then(
        () => undefined,
        (e: unknown) => e as Error & { code?: string },
      );
      expect(failure).toMatchObject({ code: "marketplace_unavailable" });
      expect(failure?.message).not.toMatch(/</);
      expect(logs()).not.toContain(MARKER);
      expect(logs()).not.toMatch(/<html|<!DOCTYPE|<style/i);
    });
  });

  it("a PATCH answered by an HTML 500 is never resent: the change waits on Microsoft's word, and no log holds the page", async () => {
    const id = await purchased();
    await activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice });
    await withVariants(["html-errors"], async () => {
      const logs = captureLogs();
      await sandbox.addFault({ method: "PATCH", pathPattern: `/saas/subscriptions/${id}$`, status: 500, times: 1 });
      const since = new Date();
      await reviewAndConfirm({ subscriptionId: id, actor: alice, change: { kind: "quantity", quantity: "9" } });
      const change = await until(
        async () => (await changes(id))[0],
        (row) => Boolean(row?.submittedAt) && logs().includes("may have reached Microsoft without an answer"),
        "change sent",
      );
      expect(change).toMatchObject({ status: "Requested", marketplaceOperationId: null });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await callsOf(since, "updateSubscription", id)).map((call) => call.status)).toEqual([500]);
      expect(logs()).toMatch(/answered 500 \(an HTML page, not JSON: \\"500 Internal Server Error\\"\)/);
      expect(logs()).not.toContain(MARKER);
    });
  });
});
