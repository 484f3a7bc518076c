/**
 * Sending notifications against a mail server and chat receivers that fail (the sandbox's inbox,
 * told to refuse): retried with backoff, then failed with the reason; a refused recipient fails
 * alone; "send again" sends; Teams and Slack alerts for the publisher's team; a failure to send
 * never reaches what caused the notification. Retries are seconds apart here (integration-setup.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { acknowledgeOperation } from "@/lib/operations/acknowledge-operation";
import { processWebhookEvent } from "@/lib/webhooks/process-webhook-event";
import { snapshotOf, syncFrom } from "@/tests/support/event-subscriptions";
import { startJobs } from "@/tests/support/jobs";
import { inbox, mailsTo, notificationsOf, settled } from "@/tests/support/notifications";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { alertJobDeadLettered } from "./alert-job-dead-lettered";
import { alertPendingSetups } from "./alert-pending-setups";
import { alertReconciliationDrift } from "./alert-reconciliation-drift";
import { alertExpiringCredential, checkMarketplaceCredentials } from "./check-marketplace-credentials";
import { resendNotification } from "./resend-notification";

process.env.NOTIFY_ALERT_EMAILS = "ops@contoso.example";
process.env.NOTIFY_ALERT_TEAMS_URL = `${process.env.SANDBOX_URL}/inbox/teams/alerts`;
process.env.NOTIFY_ALERT_SLACK_URL = `${process.env.SANDBOX_URL}/inbox/slack/alerts`;
process.env.NOTIFY_WEBHOOK_ALLOWED_HOSTS = "localhost";
process.env.NOTIFY_WEBHOOK_TIMEOUT_SECONDS = "1";
// A retry window of 18 s (integration-setup.ts: 1-2 s between attempts): room to see retries on a loaded machine.
process.env.NOTIFY_RETRY_WINDOW_HOURS = "0.005";

// A purchaser of Fabrikam no other test file knows: the purge test counts who is still involved with seeded people.
const dana = { tid: seeded.alice.tid, oid: "d4a40000-0000-4000-8000-0000000000d1" };
const admin = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
let workers: RunningWorkers | undefined;

beforeAll(async () => {
  workers = await startJobs();
});

afterEach(async () => {
  await inbox().inboxFaults({ smtp: { refuse: "none", rejectRecipients: [] }, chat: null });
});

afterAll(async () => {
  await workers?.stop();
});

const live = (overrides: Parameters<typeof snapshotOf>[0] = {}) =>
  snapshotOf({ saasSubscriptionStatus: "Subscribed", name: `Delivery ${randomUUID().slice(0, 8)}`, ...overrides });

const alertsOf = (kind: string, since: Date) =>
  db().notification.findMany({
    where: { kind, createdAt: { gte: since } },
    orderBy: [{ channel: "asc" }, { recipient: "asc" }],
  });

describe("the mail server refusing", () => {
  it("retries a mail the server refuses for a while (451), and sends it once the server takes it", async () => {
    await inbox().inboxFaults({ smtp: { refuse: "temporary" } });
    const bought = await syncFrom(live());
    const [mail] = await notificationsOf(bought.id, "purchase_received");
    const retrying = await until(
      () => db().notification.findUniqueOrThrow({ where: { id: mail!.id } }),
      (row) => row.attempts >= 2,
      "two failed attempts",
    );
    expect(retrying).toMatchObject({ status: "queued" });
    expect(retrying.lastError).toMatch(/The mail server answered 451/);
    expect(retrying.nextAttemptAt).not.toBeNull();
    await inbox().inboxFaults({ smtp: { refuse: "none" } });
    expect(await settled(mail!.id)).toMatchObject({ status: "sent", lastError: null });
    expect(await mailsTo(seeded.alice.email, bought.id)).toHaveLength(1);
  });

  it("gives up when the server keeps refusing past the retry window, with the reason; “send again” sends it", async () => {
    await inbox().inboxFaults({ smtp: { refuse: "temporary" } });
    const bought = await syncFrom(live());
    const [mail] = await notificationsOf(bought.id, "purchase_received");
    const failed = await settled(mail!.id, 45_000);
    expect(failed.status).toBe("failed");
    expect(failed.attempts).toBeGreaterThanOrEqual(3);
    expect(failed.lastError).toMatch(
      /^No successful attempt within 0\.005 h \(\d+ attempts\); last: The mail server answered 451/,
    );

    await inbox().inboxFaults({ smtp: { refuse: "none" } });
    await resendNotification({ notificationId: mail!.id, actor: admin });
    expect(await settled(mail!.id)).toMatchObject({ status: "sent", attempts: 1 });
    const audit = await db().auditEvent.findFirst({
      where: { action: "notification_resent", subscriptionId: bought.id },
    });
    expect(audit?.detail).toMatchObject({ notificationId: mail!.id, previousStatus: "failed" });
    await expect(resendNotification({ notificationId: mail!.id, actor: admin })).resolves.toBeUndefined();
  }, 60_000);

  it("fails a mail to a recipient the server refuses (550) at once, and the other recipient's goes", async () => {
    await inbox().inboxFaults({ smtp: { rejectRecipients: ["dana@fabrikam.example"] } });
    const bought = await syncFrom(
      live({ purchaser: { tenantId: dana.tid, objectId: dana.oid, emailId: "dana@fabrikam.example" } }),
    );
    const rows = await notificationsOf(bought.id, "purchase_received");
    const [refused, alice] = await Promise.all(
      ["dana@fabrikam.example", seeded.alice.email].map((address) =>
        settled(rows.find((n) => n.recipient === address)!.id),
      ),
    );
    expect(refused).toMatchObject({ status: "failed", attempts: 1 });
    expect(refused!.lastError).toMatch(/The mail server refused this message for good: .*550.*no such mailbox/);
    expect(alice).toMatchObject({ status: "sent" });
  });

  it("fails a mail to an address that is not one (with line breaks, as an injection would) without trying it; the other recipient's goes", async () => {
    const bought = await syncFrom(
      live({
        purchaser: {
          tenantId: dana.tid,
          objectId: dana.oid,
          emailId: "dana@fabrikam.example\r\nBcc: eve@evil.example",
        },
      }),
    );
    const rows = await notificationsOf(bought.id, "purchase_received");
    expect(rows).toHaveLength(2);
    const invalid = rows.find((n) => n.recipient !== seeded.alice.email)!;
    expect(invalid).toMatchObject({ status: "failed", attempts: 0 });
    expect(invalid.recipient).not.toMatch(/[\r\n]/);
    expect(invalid.lastError).toMatch(/is not a valid email address \(it holds spaces, line breaks or separators\)/);
    expect(await settled(rows.find((n) => n.recipient === seeded.alice.email)!.id)).toMatchObject({ status: "sent" });
    // Nobody was copied in.
    expect(await mailsTo("eve@evil.example")).toEqual([]);
  });
});

describe("alerts to the publisher's team", () => {
  it("alerts by mail, Teams and Slack when Microsoft does not take an acknowledgement, and a failing mail server changes nothing for it", async () => {
    const since = new Date();
    await inbox().inboxFaults({ smtp: { refuse: "permanent" } });
    // A subscription the sandbox does not know: Microsoft answers 404 for its operation.
    const { id } = await syncFrom(live());
    const operationId = randomUUID();
    await expect(acknowledgeOperation({ subscriptionId: id, operationId, status: "Success" })).resolves.toBeUndefined();
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "operation_acknowledged" } })).toBe(1);

    const alerts = await alertsOf("acknowledgement_failed", since);
    expect(alerts.map((n) => [n.channel, n.recipient])).toEqual([
      ["email", "ops@contoso.example"],
      ["teams", "teams"],
      ["slack", "slack"],
    ]);
    const [email, teams, slack] = await Promise.all(alerts.map((n) => settled(n.id)));
    expect(email).toMatchObject({ status: "failed" });
    expect(email!.lastError).toMatch(/554/);
    expect(teams).toMatchObject({
      status: "sent",
      subject: expect.stringContaining("Microsoft did not take our answer"),
    });
    expect(slack).toMatchObject({ status: "sent" });

    const { chat } = await inbox().inbox();
    const card = chat.find((post) => post.service === "teams" && JSON.stringify(post.body).includes(operationId));
    expect(card?.answered).toBe(202);
    expect(card?.body).toMatchObject({
      type: "message",
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: { type: "AdaptiveCard" } }],
    });
    expect(JSON.stringify(card?.body)).toContain(`http://localhost:3999/admin/subscriptions/${id}`);
    const message = chat.find((post) => post.service === "slack" && JSON.stringify(post.body).includes(operationId));
    expect((message?.body as { text: string }).text).toMatch(/^Microsoft did not take our answer to a change/);
    // Nothing secret in what left: not the chat URLs, not the client secret.
    expect(JSON.stringify(chat)).not.toContain(process.env.MARKETPLACE_CLIENT_SECRET!);
  });

  it("retries a Teams post answered 5xx, and gives up on one that never answers in time, with the reason", async () => {
    await inbox().inboxFaults({ chat: { status: 503, times: 2 } });
    const since = new Date();
    await alertJobDeadLettered({
      job: "reconcile-subscriptions",
      jobId: randomUUID(),
      attempts: 3,
      reason: "HTTP 500",
    });
    const [, teams] = await alertsOf("job_dead_lettered", since);
    expect(teams!.channel).toBe("teams");
    const sent = await settled(teams!.id);
    expect(sent.status).toBe("sent");
    expect(sent.attempts).toBeGreaterThanOrEqual(2);

    await inbox().inboxFaults({ chat: { status: 200, times: 100, delayMs: 1500 } });
    const later = new Date();
    await alertJobDeadLettered({ job: "submit-usage", jobId: randomUUID(), attempts: 3, reason: "timeout" });
    const slow = (await alertsOf("job_dead_lettered", later)).filter((n) => n.channel !== "email");
    for (const row of slow) {
      const failed = await settled(row.id, 45_000);
      expect(failed.status).toBe("failed");
      expect(failed.lastError).toMatch(/last: (Teams|Slack): No answer within 1 s\./);
    }
  }, 60_000);

  it("alerts once per job kind and hour, whatever number of jobs fail", async () => {
    const since = new Date();
    const at = new Date("2026-11-30T10:20:00Z");
    for (let n = 0; n < 3; n += 1)
      await alertJobDeadLettered({ job: "follow-operation", jobId: randomUUID(), attempts: 5, reason: "down", at });
    await alertJobDeadLettered({ job: "send-notification", jobId: randomUUID(), attempts: 6, reason: "db" });
    const rows = await alertsOf("job_dead_lettered", since);
    expect(rows.map((n) => n.channel)).toEqual(["email", "teams", "slack"]);
  });

  it("alerts on a webhook Microsoft does not confirm, once per delivery", async () => {
    const since = new Date();
    const eventId = randomUUID();
    await db().webhookEvent.create({
      data: {
        id: eventId,
        operationId: randomUUID(),
        action: "Suspend",
        subscriptionId: randomUUID(),
        payloadHash: createHash("sha256").update(eventId).digest("hex"),
        payload: {},
      },
    });
    await processWebhookEvent({ eventId });
    expect((await db().webhookEvent.findUniqueOrThrow({ where: { id: eventId } })).status).toBe("unconfirmed");
    const alerts = await alertsOf("webhook_refused", since);
    expect(alerts).toHaveLength(3);
    expect(alerts[0]!.data).toMatchObject({ webhookEventId: eventId, action: "Suspend" });
  });

  it("alerts once when the marketplace app gets no token, and once on a setup pending too long", async () => {
    const since = new Date();
    const failing = async () => {
      const { MarketplaceError } = await import("@/lib/marketplace/errors");
      throw new MarketplaceError({
        kind: "authentication",
        operation: "acquireToken",
        message: "AADSTS7000222: expired",
      });
    };
    expect(await checkMarketplaceCredentials({ tokens: failing })).toMatchObject({ ok: false });
    expect(await checkMarketplaceCredentials({ tokens: failing })).toMatchObject({ ok: false });
    expect((await alertsOf("credentials_failing", since)).map((n) => n.channel)).toEqual(["email", "teams", "slack"]);
    expect(await checkMarketplaceCredentials()).toEqual({ ok: true });

    const bought = await syncFrom(live());
    const fourDaysOn = new Date(Date.now() + 4 * 86_400_000);
    await alertPendingSetups({ now: fourDaysOn });
    await alertPendingSetups({ now: fourDaysOn });
    const pending = (await alertsOf("setup_pending", since)).filter((n) => n.subscriptionId === bought.id);
    expect(pending).toHaveLength(3);
    expect(pending[0]!.data).toMatchObject({ subscriptionId: bought.id, days: 4 });
  });

  it("alerts on an expiring secret once per threshold (30, 14, 7, 3, 1 days, expiry), not once an hour", async () => {
    const since = new Date();
    const now = new Date("2031-03-01T09:00:00Z");
    const day = (n: number) => new Date(now.getTime() + n * 86_400_000);
    const secret = { type: "secret" as const, secret: "not-logged", expiresAt: day(40) };
    // 40 days left: nothing yet.
    expect(await alertExpiringCredential(secret, now)).toBeUndefined();
    // 20 days left, checked hourly: one alert (the 30-day threshold).
    expect(await alertExpiringCredential(secret, day(20))).toBe(30);
    expect(await alertExpiringCredential(secret, new Date(day(20).getTime() + 3_600_000))).toBe(30);
    let alerts = await alertsOf("credentials_expiring", since);
    expect(alerts.map((n) => n.channel)).toEqual(["email", "teams", "slack"]);
    expect(alerts[0]!.data).toEqual({ credential: "secret", expiresAt: day(40).toISOString(), daysLeft: 20 });
    expect(JSON.stringify(alerts)).not.toContain("not-logged");
    // 5 days left: the 7-day threshold; then expired: one more.
    expect(await alertExpiringCredential(secret, day(35))).toBe(7);
    expect(await alertExpiringCredential(secret, day(41))).toBe(0);
    expect(await alertExpiringCredential(secret, day(42))).toBe(0);
    alerts = await alertsOf("credentials_expiring", since);
    expect(
      alerts
        .filter((n) => n.channel === "email")
        .map((n) => (n.data as { daysLeft: number }).daysLeft)
        .sort((a, b) => b - a),
    ).toEqual([20, 5, -1]);
    // A renewed secret (a new date) starts again; a federated credential never has this alert.
    expect(await alertExpiringCredential({ ...secret, expiresAt: day(70) }, day(42))).toBe(30);
    expect(
      await alertExpiringCredential({ type: "federated", tokenFile: "/nonexistent", audience: "x" } as never, now),
    ).toBeUndefined();
  });

  it("alerts on the same reconciliation drift once, and on a new one again", async () => {
    const since = new Date();
    const { id } = await syncFrom(live());
    const run = async (remote: string) => {
      const created = await db().reconciliationRun.create({
        data: { trigger: "manual", status: "succeeded", subscriptionsSeen: 1, driftCount: 1 },
      });
      await db().drift.create({
        data: {
          runId: created.id,
          subscriptionId: id,
          field: "status",
          localValue: "Subscribed",
          remoteValue: remote,
          resolution: "synced",
        },
      });
      await db().$transaction((tx) => alertReconciliationDrift(tx, created));
    };
    await run("Suspended");
    await run("Suspended");
    expect(await alertsOf("reconciliation_drift", since)).toHaveLength(3);
    await run("Unsubscribed");
    expect(await alertsOf("reconciliation_drift", since)).toHaveLength(6);
  });
});
