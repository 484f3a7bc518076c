/**
 * A portal whose webhook settings do not match the offer's (here WEBHOOK_AUDIENCE names another
 * app than the one Microsoft's tokens are for): Microsoft's genuine deliveries — tokens the
 * sandbox's Entra ID signs for the marketplace service — are refused (401), nothing is recorded,
 * and the publisher's team hears of it once per channel (webhook_token_refused), however many
 * deliveries, retries and replays come. A bad signature or no token is refused without an alert.
 */
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { alertWebhookTokenRefused, forgetWebhookTokenAlerts } from "@/lib/notifications/alert-webhook-token-refused";
import { startJobs } from "@/tests/support/jobs";
import { mailsTo, settled } from "@/tests/support/notifications";
import { sandboxControl, type WebhookDelivery } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { MARKETPLACE_APP_ID } from "./verify-webhook-token";

// Read on first use. The offer's app (its technical configuration) is MARKETPLACE_CLIENT_ID; the
// portal is told to expect another one.
const offerApp = process.env.MARKETPLACE_CLIENT_ID!;
process.env.WEBHOOK_AUDIENCE = "0a0d0000-0000-4000-8000-00000000a0d1";
const team = "webhook-ops@contoso.example";
process.env.NOTIFY_ALERT_EMAILS = team;
process.env.NOTIFY_ALERT_TEAMS_URL = `${process.env.SANDBOX_URL}/inbox/teams/alerts`;
process.env.NOTIFY_ALERT_SLACK_URL = `${process.env.SANDBOX_URL}/inbox/slack/alerts`;
process.env.NOTIFY_WEBHOOK_ALLOWED_HOSTS = "localhost";

const sandbox = sandboxControl();
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let workers: RunningWorkers | undefined;

const alerts = () =>
  db().notification.findMany({ where: { kind: "webhook_token_refused" }, orderBy: [{ channel: "asc" }] });

/** The token Microsoft's marketplace would send (sandbox issuer and kid), signed with a key of our own. */
async function wronglySignedToken(claims: Record<string, unknown> = {}): Promise<string> {
  const authority = process.env.ENTRA_AUTHORITY_HOST!;
  const tenant = seeded.publisherTenant;
  const jwks = (await (await fetch(`${authority}/${tenant}/discovery/v2.0/keys`)).json()) as {
    keys: { kid: string }[];
  };
  const { privateKey } = await generateKeyPair("RS256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: tenant, appid: MARKETPLACE_APP_ID, ver: "1.0", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: jwks.keys[0]!.kid, typ: "JWT" })
    .setIssuer(`${authority}/${tenant}/`)
    .setAudience(offerApp)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + 3600)
    .sign(privateKey);
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await sandbox.settings({ webhookUrl: receiver.url, webhookMaxAttempts: 3, webhookBackoffMs: 200 });
  workers = await startJobs();
});
afterAll(async () => {
  await workers?.stop();
  await receiver.close();
  await sandbox.settings({ webhookMaxAttempts: 5, webhookBackoffMs: 1000 });
});

describe("webhook tokens refused for the portal's settings", () => {
  // First, while no such alert exists: one written by mistake would show.
  it("refuses a bad signature, a malformed or a missing token (401) without an alert", async () => {
    const body = JSON.stringify({
      id: "0f0c0000-0000-4000-8000-0000000007a1",
      subscriptionId: "0f0c0000-0000-4000-8000-0000000007a2",
      action: "Suspend",
      timeStamp: new Date().toISOString(),
      status: "Succeeded",
    });
    const events = await db().webhookEvent.count();
    // Each would name a setting (audience, tenant, issuer) if its signature were not checked first.
    const forged = [
      await wronglySignedToken(),
      await wronglySignedToken({ tid: seeded.northwind }),
      await wronglySignedToken({ iss: `${process.env.ENTRA_AUTHORITY_HOST}/${seeded.northwind}/` }),
    ];
    for (const authorization of [...forged.map((token) => `Bearer ${token}`), null, "Bearer not-a-token"])
      expect((await receiver.post(body, authorization)).status).toBe(401);
    // A write would be under way by now (it starts before the 401 is answered).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await alerts()).toEqual([]);
    expect(await db().webhookEvent.count()).toBe(events);
  });

  it("refuses Microsoft's deliveries for another audience (401, nothing recorded) and alerts once by mail, Teams and Slack", async () => {
    const started = new Date();
    // An auto-activated plan: Microsoft sends Subscribe at once, and retries it on each 401.
    const purchase = await sandbox.purchase({
      offerId: "contoso-backup",
      planId: "team-auto",
      quantity: 3,
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    });
    const id = purchase.subscriptionId.toLowerCase();
    const delivery = await until(
      () => sandbox.deliveries(id).then((all) => all.find((d) => d.action === "Subscribe")),
      (d): d is WebhookDelivery => Boolean(d && d.attempts.length >= 3),
      "three attempts of the Subscribe delivery",
      20_000,
    );
    expect(delivery.attempts.map((attempt) => attempt.status)).toEqual([401, 401, 401]);
    const refused = receiver.received.filter((r) => r.body.toLowerCase().includes(id));
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401]);
    const authorization = refused[0]!.authorization!;
    // A captured genuine token replayed: refused the same way, still no second alert.
    for (let i = 0; i < 3; i += 1) expect((await receiver.post(refused[0]!.body, authorization)).status).toBe(401);
    expect(await db().webhookEvent.count({ where: { subscriptionId: id } })).toBe(0);

    const rows = await until(alerts, (all) => all.length >= 3, "the alert written");
    expect(rows.map((row) => [row.channel, row.recipient])).toEqual([
      ["email", team],
      ["teams", "teams"],
      ["slack", "slack"],
    ]);
    for (const row of rows) {
      expect(row.data).toEqual({
        mismatch: "audience",
        reason: "claim check failed: aud (check_failed)",
        firstRefusedAt: expect.any(String),
      });
      expect(new Date((row.data as { firstRefusedAt: string }).firstRefusedAt) >= started).toBe(true);
    }
    // Another instance, which has not written it today, writes the same cause: still one per recipient.
    forgetWebhookTokenAlerts();
    await alertWebhookTokenRefused({ signedMismatch: "audience", reason: "claim check failed: aud (check_failed)" });
    expect((await alerts()).map((row) => row.id)).toEqual(rows.map((row) => row.id));

    // Sent; the mail names the setting to fix and carries no part of the token.
    expect((await Promise.all(rows.map((row) => settled(row.id)))).map((row) => row.status)).toEqual([
      "sent",
      "sent",
      "sent",
    ]);
    const [mail, ...more] = (await mailsTo(team)).filter((m) => new Date(m.receivedAt) >= started);
    expect(more).toEqual([]);
    expect(mail!.subject).toContain("Webhook tokens of Microsoft's marketplace are refused");
    expect(mail!.text).toContain("WEBHOOK_AUDIENCE");
    expect(mail!.text).toContain("claim check failed: aud");
    const [, payload, signature] = authorization.slice("Bearer ".length).split(".") as [string, string, string];
    for (const part of [mail!.text ?? "", mail!.html ?? "", JSON.stringify(rows)]) {
      expect(part).not.toContain(signature);
      expect(part).not.toContain(payload);
    }
  }, 45_000);
});
