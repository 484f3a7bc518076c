/**
 * Lock order (lib/subscriptions/lock-subscription.ts): every transaction that changes a
 * subscription or its operations takes the subscription's row lock first. Seen in an e2e run
 * before this rule: Microsoft's webhook (subscription locked, then its operation recorded) and the
 * operation poller (operation settled, then the subscription locked) waited on each other and
 * PostgreSQL killed one of them ("deadlock detected"). Only PostgreSQL runs transactions side by
 * side; the embedded database runs one at a time.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { databaseKind, db } from "@/lib/db";
import { settleOperation } from "@/lib/operations/follow-operation";
import { lockSubscription } from "@/lib/subscriptions/lock-subscription";
import { activeForAlice } from "@/tests/support/alice-purchases";
import { until } from "@/tests/support/until";

/** Sessions of this database waiting for a row or table lock. */
async function waitingForLocks(): Promise<number> {
  const [row] = await db().$queryRaw<Array<{ waiting: number }>>`
    SELECT count(*)::int AS waiting FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'`;
  return row?.waiting ?? 0;
}

describe.skipIf(databaseKind() !== "postgresql")("lock order on a subscription", () => {
  it("the poller settling an operation while a webhook holds the subscription waits for it instead of deadlocking", async () => {
    const subscriptionId = await activeForAlice();
    const operation = await db().operation.create({
      data: {
        id: randomUUID(),
        subscriptionId,
        action: "ChangeQuantity",
        status: "InProgress",
        source: "Customer",
        requestedQuantity: 7,
        marketplaceOperationId: randomUUID(),
        submittedAt: new Date(),
      },
    });

    // The webhook's transaction: the subscription first, then (once the poller waits) the operation.
    let letWebhookGoOn!: () => void;
    const pollerWaits = new Promise<void>((resolve) => (letWebhookGoOn = resolve));
    let webhookLocked!: () => void;
    const hasLock = new Promise<void>((resolve) => (webhookLocked = resolve));
    const webhook = db().$transaction(
      async (tx) => {
        await lockSubscription(tx, subscriptionId);
        webhookLocked();
        await pollerWaits;
        await tx.operation.update({ where: { id: operation.id }, data: { errorMessage: "seen by the webhook" } });
      },
      { timeout: 30_000 },
    );
    await hasLock;

    const poller = settleOperation(operation, {
      id: operation.marketplaceOperationId!,
      subscriptionId,
      action: "ChangeQuantity",
      status: "Failed",
      errorMessage: "Microsoft refused the seat count.",
    });
    await until(waitingForLocks, (waiting) => waiting >= 1, "poller waiting for a lock", 10_000);
    letWebhookGoOn();

    const outcomes = await Promise.allSettled([webhook, poller]);
    expect(outcomes.map((outcome) => (outcome.status === "rejected" ? String(outcome.reason) : "ok"))).toEqual([
      "ok",
      "ok",
    ]);
    const settled = await db().operation.findUniqueOrThrow({ where: { id: operation.id } });
    expect(settled.status).toBe("Failed");
    expect(settled.errorMessage).toBe("Microsoft refused the seat count.");
  });
});
