/**
 * The retention purge (docs/decisions/0015) on a real database, with a subscription that went
 * through the real flow: bought in the sandbox, activated with an account configuration, a
 * colleague invited and another invitation pending, events sent to an endpoint that echoes what it
 * got, and cancelled from Microsoft's side (a verified webhook). When its retention ends, exactly
 * the personal data goes — from the row, the colleagues and invitations, the audit details, the
 * stored webhooks and events and the endpoint's answers, and the people nobody else needs — while
 * ids, statuses and the audit skeleton stay; a second run changes nothing, and Microsoft's copy
 * does not bring anything back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvite } from "@/lib/colleagues/accept-invite";
import { createInvite } from "@/lib/colleagues/create-invite";
import { recordSignIn } from "@/lib/auth/record-sign-in";
import { db, disconnectDatabase } from "@/lib/db";
import { createEndpoint } from "@/lib/events/manage-endpoints";
import { eventTypeName } from "@/lib/events/event-types";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { readSubscription } from "@/lib/subscriptions/read-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { syncSubscription } from "@/lib/subscriptions/sync-subscription";
import { startEventReceiver } from "@/tests/support/event-receiver";
import { startJobs } from "@/tests/support/jobs";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { startWebhookReceiver } from "@/tests/support/webhook-receiver";
import { purgeDueSubscriptions, purgeSubscriptionData } from "./purge-personal-data";

process.env.EVENT_ENDPOINT_ALLOWED_HOSTS = "127.0.0.1";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] as string[] };
const bob = { ...seeded.bob, roles: [] as string[] };
const admin = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
const DAY = 86_400_000;

/** Everything personal about the subscription below: none of it may be found anywhere after the purge. */
const personal = {
  subscriptionName: `Purge test ${Date.now().toString(36)}`,
  company: "Fabrikam Purge Test Ltd",
  contact: "Alice Purgetest",
  contactEmail: "purge-contact@fabrikam.example",
  workspace: "fabrikam-purge",
  bobName: "Bob Purgetest",
  bobEmail: "bob.purgetest@fabrikam.example",
};

let webhooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
let endpoint: Awaited<ReturnType<typeof startEventReceiver>>;
let endpointId: string;
let workers: RunningWorkers;
let subscriptionId: string;
let keptId: string;

async function buyAndActivate(name: string) {
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    name,
    beneficiary: { tid: alice.tid, oid: alice.oid },
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  await activateSubscription({
    subscriptionId: purchase.subscriptionId,
    accountConfig: {
      companyName: personal.company,
      contactName: personal.contact,
      contactEmail: personal.contactEmail,
      subdomain: personal.workspace,
      region: "eu",
      acceptTerms: "on",
    },
    actor: alice,
  });
  return purchase.subscriptionId;
}

const json = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? String(item) : item));

/** Every row that belongs to the subscription, as text: what a person with a database client could read. */
async function everythingAbout(id: string) {
  const [subscription, audits, webhookRows, events, attempts, invites, members, bobRow, notifications] =
    await Promise.all([
      db().subscription.findUnique({ where: { id } }),
      db().auditEvent.findMany({ where: { subscriptionId: id }, orderBy: { id: "asc" } }),
      db().webhookEvent.findMany({ where: { subscriptionId: id } }),
      db().outboxEvent.findMany({ where: { subscriptionId: id }, orderBy: { sequence: "asc" } }),
      db().eventDeliveryAttempt.findMany({ where: { delivery: { event: { subscriptionId: id } } } }),
      db().subscriptionInvite.findMany({ where: { subscriptionId: id } }),
      db().subscriptionMember.findMany({ where: { subscriptionId: id } }),
      db().user.findUnique({ where: { tid_oid: { tid: bob.tid, oid: bob.oid } } }),
      db().notification.findMany({ where: { subscriptionId: id } }),
    ]);
  const rows = { subscription, audits, webhookRows, events, attempts, invites, members, bobRow, notifications };
  return {
    ...rows,
    text: JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value)),
  };
}

beforeAll(async () => {
  webhooks = await startWebhookReceiver();
  await sandbox.settings({ webhookUrl: webhooks.url });
  endpoint = await startEventReceiver();
  // An endpoint that repeats what it was sent in its answer (the console keeps the first characters).
  endpoint.answerAlways({ status: 200, body: `received for ${personal.company}` });
  endpointId = (
    await createEndpoint({ input: { url: endpoint.url(), description: "purge test", eventTypes: [] }, actor: admin })
  ).endpoint.id;
  workers = await startJobs();

  await recordSignIn({ tid: bob.tid, oid: bob.oid, name: personal.bobName, email: personal.bobEmail });
  await recordSignIn({ tid: alice.tid, oid: alice.oid, name: alice.name, email: alice.email });
  subscriptionId = await buyAndActivate(personal.subscriptionName);
  keptId = await buyAndActivate("Kept subscription");
  const invite = await createInvite({ subscriptionId, actor: alice });
  await acceptInvite({ token: invite.token, actor: bob });
  await createInvite({ subscriptionId, actor: alice }); // still pending

  await sandbox.act(subscriptionId, "Unsubscribe");
  await until(
    () => db().subscription.findUniqueOrThrow({ where: { id: subscriptionId } }),
    (row) => row.status === "Unsubscribed",
    "the cancellation applied",
  );
  await until(
    () => db().eventDelivery.count({ where: { event: { subscriptionId }, status: { not: "delivered" } } }),
    (pending) => pending === 0,
    "every event delivered",
  );
  await workers.stop();
});

afterAll(async () => {
  await db().eventEndpoint.deleteMany({ where: { id: endpointId } });
  await sandbox.settings({ webhookUrl: null });
  await webhooks.close();
  await endpoint.close();
  await disconnectDatabase();
});

describe("purging a cancelled subscription's personal data", () => {
  it("is not done while the data is retained, nor for a live subscription", async () => {
    const before = await everythingAbout(subscriptionId);
    expect(before.subscription?.dataRetainedUntil).toBeInstanceOf(Date);
    expect(
      await purgeSubscriptionData(subscriptionId, new Date(before.subscription!.dataRetainedUntil!.getTime() - 1000)),
    ).toBeNull();
    expect(await purgeSubscriptionData(keptId, new Date(Date.now() + 365 * DAY))).toBeNull();
    expect((await everythingAbout(subscriptionId)).text).toBe(before.text);
  });

  it("removes exactly the personal data, keeps ids, statuses and the audit skeleton, and says what it did", async () => {
    const before = await everythingAbout(subscriptionId);
    // The personal data really is there, in each place.
    expect(before.subscription).toMatchObject({ name: personal.subscriptionName, beneficiaryEmail: alice.email });
    expect(json(before.audits)).toContain(personal.company);
    expect(json(before.webhookRows)).toContain(personal.subscriptionName);
    expect(json(before.events)).toContain(personal.contactEmail);
    expect(json(before.attempts)).toContain(personal.company);
    expect(before.invites).toHaveLength(2);
    expect(before.members).toHaveLength(1);
    expect(before.bobRow).toMatchObject({ name: personal.bobName, email: personal.bobEmail });

    const purgedAt = new Date(before.subscription!.dataRetainedUntil!.getTime() + 60_000);
    const report = await purgeSubscriptionData(subscriptionId, purgedAt);
    expect(report).toEqual({
      subscriptionId,
      fields: ["name", "beneficiaryEmail", "beneficiaryPuid", "purchaserEmail", "purchaserPuid", "accountConfig"],
      invitations: 2,
      colleagues: 1,
      auditDetails: 1,
      webhookPayloads: before.webhookRows.length,
      eventPayloads: before.events.length,
      deliveryAnswers: before.attempts.length,
      notifications: before.notifications.length,
      people: 1,
    });
    // The mails about it (to Alice: her address) went with it.
    expect(before.notifications.length).toBeGreaterThan(0);

    const after = await everythingAbout(subscriptionId);
    for (const value of Object.values(personal)) expect(after.text).not.toContain(value);
    expect(after.text).not.toContain(alice.email);

    // The row: personal fields gone, everything else as it was.
    const strip = (row: typeof before.subscription) => {
      const {
        name: _n,
        beneficiaryEmail: _be,
        beneficiaryPuid: _bp,
        purchaserEmail: _pe,
        purchaserPuid: _pp,
        accountConfig: _a,
        dataPurgedAt: _d,
        updatedAt: _u,
        ...rest
      } = row!;
      return rest;
    };
    expect(strip(after.subscription)).toEqual(strip(before.subscription));
    expect(after.subscription).toMatchObject({
      name: "Cancelled subscription",
      beneficiaryEmail: null,
      beneficiaryPuid: null,
      purchaserEmail: null,
      purchaserPuid: null,
      accountConfig: null,
      dataPurgedAt: purgedAt,
      status: "Unsubscribed",
      beneficiaryTenantId: alice.tid,
      beneficiaryObjectId: alice.oid,
      planId: "pro-seats",
      quantity: 5,
    });

    // The audit skeleton: the same rows (and one more saying what was done), who and when unchanged.
    const skeleton = (rows: typeof before.audits) =>
      rows.map((row) => [
        row.id,
        row.action,
        row.actorType,
        row.actorTid,
        row.actorOid,
        row.fromStatus,
        row.toStatus,
        row.createdAt,
      ]);
    expect(skeleton(after.audits.slice(0, -1))).toEqual(skeleton(before.audits));
    const configured = after.audits.find((row) => row.action === "account_configured");
    expect(configured?.detail).toEqual({});
    const invited = after.audits.find((row) => row.action === "invite_created");
    expect(invited?.detail).toMatchObject({ inviteId: expect.any(String), expiresAt: expect.any(String) });
    expect(after.audits.at(-1)).toMatchObject({
      action: "data_purged",
      actorType: "system",
      detail: {
        retainedUntil: before.subscription!.dataRetainedUntil!.toISOString(),
        removed: { invitations: 2, colleagues: 1 },
      },
    });

    // Stored copies: as many as before, the subscription's name and configuration replaced.
    expect(after.webhookRows.map((row) => row.id)).toEqual(before.webhookRows.map((row) => row.id));
    expect(
      after.webhookRows.every(
        (row) => (row.payload as { subscription?: { name?: string } }).subscription?.name === "[redacted]",
      ),
    ).toBe(true);
    expect(after.events.slice(0, -1).map((row) => row.id)).toEqual(before.events.map((row) => row.id));
    for (const event of after.events)
      expect(
        (event.payload as { subscription: { accountConfiguration: unknown } }).subscription.accountConfiguration,
      ).toBeNull();
    expect(after.attempts.every((attempt) => attempt.responseExcerpt === null)).toBe(true);
    expect(after.invites).toEqual([]);
    expect(after.members).toEqual([]);

    // The ISV hears of it: subscription.data_purged, with nothing personal in it.
    const purgedEvent = after.events.at(-1)!;
    expect(eventTypeName(purgedEvent.type)).toBe("subscription.data_purged");
    expect(purgedEvent.payload).toMatchObject({
      subscriptionId,
      purgedAt: purgedAt.toISOString(),
      subscription: { status: "Unsubscribed", name: "Cancelled subscription", accountConfiguration: null },
    });

    // Bob was here only for this subscription; Alice still has one whose data is kept.
    expect(after.bobRow).toMatchObject({ tid: bob.tid, oid: bob.oid, name: null, email: null });
    expect(await db().user.findUnique({ where: { tid_oid: { tid: alice.tid, oid: alice.oid } } })).toMatchObject({
      name: alice.name,
      email: alice.email,
    });
    const kept = await db().subscription.findUniqueOrThrow({ where: { id: keptId } });
    expect(kept).toMatchObject({ name: "Kept subscription", beneficiaryEmail: alice.email, dataPurgedAt: null });
    expect(kept.accountConfig).toMatchObject({ companyName: personal.company });
  });

  it("is done once: a second run, or the hourly job, finds nothing to do", async () => {
    const before = await everythingAbout(subscriptionId);
    const later = new Date(Date.now() + 365 * DAY);
    expect(await purgeSubscriptionData(subscriptionId, later)).toBeNull();
    expect((await purgeDueSubscriptions()).map((report) => report.subscriptionId)).not.toContain(subscriptionId);
    expect((await everythingAbout(subscriptionId)).text).toBe(before.text);
  });

  it("does not take the personal fields again from Microsoft's copy", async () => {
    const snapshot = await readSubscription(subscriptionId);
    expect(snapshot.subscription.beneficiary?.emailId).toBe(alice.email);
    await db().$transaction((tx) =>
      syncSubscription(tx, { snapshot, actor: { actorType: "system" }, reason: "purge test: reconciliation" }),
    );
    const row = await db().subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
    expect(row).toMatchObject({
      name: "Cancelled subscription",
      beneficiaryEmail: null,
      purchaserEmail: null,
      status: "Unsubscribed",
    });
  });

  it("the hourly job purges a subscription once its retention has passed", async () => {
    const id = await buyAndActivate("Due for purge");
    await sandbox.act(id, "Unsubscribe");
    await until(
      () => readSubscription(id),
      (snapshot) => snapshot.subscription.saasSubscriptionStatus === "Unsubscribed",
      "cancelled at Microsoft",
    );
    await db().$transaction(async (tx) =>
      syncSubscription(tx, {
        snapshot: await readSubscription(id),
        actor: { actorType: "system" },
        reason: "purge test",
      }),
    );
    // As the row would be DATA_RETENTION_DAYS later.
    await db().subscription.update({ where: { id }, data: { dataRetainedUntil: new Date(Date.now() - 1000) } });
    const reports = await purgeDueSubscriptions();
    expect(reports.map((report) => report.subscriptionId)).toContain(id);
    expect(await db().subscription.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "Cancelled subscription",
      accountConfig: null,
    });
    expect(await db().auditEvent.count({ where: { subscriptionId: id, action: "data_purged" } })).toBe(1);
  });
});
