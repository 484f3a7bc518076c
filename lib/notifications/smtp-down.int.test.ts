/**
 * The mail server is down (nothing listens on its port): the change that causes a mail commits and
 * answers as fast as ever, its other effects (events) are unaffected, and the mail is retried,
 * then failed with the reason — visible, and sendable again once the server is back.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { snapshotOf, syncFrom } from "@/tests/support/event-subscriptions";
import { freePort } from "@/tests/support/free-port";
import { startJobs } from "@/tests/support/jobs";
import { notificationsOf, settled } from "@/tests/support/notifications";

// A port that was free a moment ago and that nothing listens on: connections are refused.
process.env.SMTP_PORT = String(await freePort());

let workers: RunningWorkers | undefined;
beforeAll(async () => {
  workers = await startJobs();
});
afterAll(async () => {
  await workers?.stop();
});

it("commits the purchase at once while the mail server is down, and fails its mail after the retries with the reason", async () => {
  const started = performance.now();
  const bought = await syncFrom(
    snapshotOf({ saasSubscriptionStatus: "Subscribed", name: `SMTP down ${randomUUID().slice(0, 8)}` }),
  );
  // The change does not wait for mail: it is a few database writes.
  expect(performance.now() - started).toBeLessThan(5000);
  expect(await db().outboxEvent.count({ where: { subscriptionId: bought.id } })).toBe(2);
  const [mail] = await notificationsOf(bought.id, "purchase_received");
  const failed = await settled(mail!.id, 30_000);
  expect(failed.status).toBe("failed");
  expect(failed.attempts).toBeGreaterThanOrEqual(2);
  expect(failed.lastError).toMatch(/last: Could not reach the mail server \((ECONNECTION|ESOCKET)\).*ECONNREFUSED/);
  // The subscription is as the change left it.
  expect(await db().subscription.findUniqueOrThrow({ where: { id: bought.id } })).toMatchObject({
    status: "Subscribed",
    setupState: "pending",
  });
});
