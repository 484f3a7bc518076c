/**
 * Mails to buyers through the outbox (docs/decisions/0020): written in the transaction of the
 * change that causes them (and gone with it when it rolls back), once per cause and recipient
 * (purchaser and beneficiary de-duplicated; a change processed twice mails once), sent by the job
 * to the sandbox's mail server, in the recipient's language; reminders at their hours while the
 * setup is pending, skipped once it is done.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { completeSetup } from "@/lib/subscriptions/complete-setup";
import { syncSubscription } from "@/lib/subscriptions/sync-subscription";
import { subscriptionEvents } from "@/lib/subscriptions/subscription-events";
import { snapshotOf, syncFrom } from "@/tests/support/event-subscriptions";
import { jobsOf, startJobs } from "@/tests/support/jobs";
import { inbox, mailsTo, notificationsOf, settled } from "@/tests/support/notifications";
import { bringScheduledSendsForward } from "@/tests/support/clock";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { notifySubscriptionChange } from "./notify-subscription-change";
import { sendNotificationJob } from "./send-notification";
import { addressHash } from "./mail-text";

// A purchaser of Fabrikam no other test file knows: the purge test counts who is still involved with seeded people.
const dana = { tid: seeded.alice.tid, oid: "d4a40000-0000-4000-8000-0000000000d1" };
const alice = { ...seeded.alice, roles: [] };
const accountConfig = {
  companyName: "Fabrikam",
  contactName: "Alice Admin",
  contactEmail: "it@fabrikam.example",
  region: "eu",
  acceptTerms: "on",
};

let workers: RunningWorkers | undefined;

beforeAll(async () => {
  await inbox().inboxFaults({ smtp: { refuse: "none", rejectRecipients: [] }, chat: null });
});

afterAll(async () => {
  await workers?.stop();
});

beforeEach(async () => {
  // Alice signed in once: her name is known.
  await db().tenant.upsert({ where: { id: alice.tid }, create: { id: alice.tid }, update: {} });
  await db().user.upsert({
    where: { tid_oid: { tid: alice.tid, oid: alice.oid } },
    create: { tid: alice.tid, oid: alice.oid, name: "Alice Admin", email: alice.email },
    update: { locale: null, name: "Alice Admin" },
  });
  await db().notificationPreference.deleteMany();
});

const autoActivated = (overrides: Parameters<typeof snapshotOf>[0] = {}) =>
  snapshotOf({
    saasSubscriptionStatus: "Subscribed",
    name: `Mail test ${randomUUID().slice(0, 8)}`,
    term: { termUnit: "P1M", startDate: new Date(), endDate: new Date(Date.now() + 30 * 86_400_000) },
    ...overrides,
  });

describe("outbox", () => {
  it("writes the purchase mail and its reminders with the change, and nothing when the change rolls back", async () => {
    const bought = autoActivated();
    await expect(
      db().$transaction(async (tx) => {
        await syncSubscription(tx, {
          snapshot: { subscription: bought, readAt: new Date() },
          actor: { actorType: "marketplace" },
          reason: "rolled back",
        });
        expect(await tx.notification.count({ where: { subscriptionId: bought.id } })).toBe(3);
        throw new Error("the change fails after its notifications were written");
      }),
    ).rejects.toThrow("the change fails");
    expect(await notificationsOf(bought.id)).toEqual([]);
    const jobs = await jobsOf(sendNotificationJob);
    expect(jobs.filter((job) => job.data.notificationId === undefined)).toEqual([]);

    const row = await syncFrom(bought);
    const written = await notificationsOf(bought.id);
    expect(written.map((n) => [n.kind, n.recipient, n.status])).toEqual([
      ["purchase_received", seeded.alice.email, "queued"],
      ["setup_reminder", seeded.alice.email, "queued"],
      ["setup_reminder", seeded.alice.email, "queued"],
    ]);
    const reminders = written.filter((n) => n.kind === "setup_reminder");
    expect(reminders.map((n) => n.notBefore.getTime() - row.activatedAt!.getTime())).toEqual([
      24 * 3_600_000,
      72 * 3_600_000,
    ]);
    expect(reminders.every((n) => !n.essential)).toBe(true);
    // Each has its job, the reminders not before their time.
    const jobs2 = await jobsOf(sendNotificationJob);
    for (const n of written) {
      const job = jobs2.find((candidate) => candidate.data.notificationId === n.id);
      expect(job, `job of ${n.kind}`).toBeDefined();
      if (n.kind === "setup_reminder")
        expect(job!.startAfter.getTime()).toBeGreaterThanOrEqual(n.notBefore.getTime() - 1000);
    }
  });

  it("mails the purchaser and the beneficiary once each, and one person in both roles once", async () => {
    const same = await syncFrom(autoActivated());
    expect((await notificationsOf(same.id, "purchase_received")).map((n) => n.recipient)).toEqual([seeded.alice.email]);
    const two = await syncFrom(
      autoActivated({
        purchaser: { tenantId: dana.tid, objectId: dana.oid, emailId: "Dana@Fabrikam.example" },
      }),
    );
    expect((await notificationsOf(two.id, "purchase_received")).map((n) => n.recipient).sort()).toEqual([
      seeded.alice.email,
      "dana@fabrikam.example",
    ]);
  });

  it("notifies once when the same change is processed twice", async () => {
    const live = autoActivated();
    const before = await syncFrom(live);
    const after = await syncFrom({ ...live, saasSubscriptionStatus: "Suspended" });
    await syncFrom({ ...live, saasSubscriptionStatus: "Suspended" }); // the same notice again: no change
    // The same change and its events handed over again (a job that ran twice):
    const events = subscriptionEvents(before, after).map((event, index) => ({ type: event.type, sequence: 3 + index }));
    await db().$transaction((tx) => notifySubscriptionChange(tx, before, after, events));
    await db().$transaction((tx) => notifySubscriptionChange(tx, before, after, events));
    expect((await notificationsOf(live.id, "suspended")).map((n) => n.recipient)).toEqual([seeded.alice.email]);
  });

  it("writes a mail to an address that cannot receive one as failed, with the reason, and the others go", async () => {
    const bought = await syncFrom(
      autoActivated({ purchaser: { tenantId: dana.tid, objectId: dana.oid, emailId: "dana at fabrikam" } }),
    );
    const rows = await notificationsOf(bought.id, "purchase_received");
    expect(rows.map((n) => [n.recipient, n.status])).toEqual([
      [seeded.alice.email, "queued"],
      ["dana at fabrikam", "failed"],
    ]);
    expect(rows[1]!.lastError).toMatch(/“dana at fabrikam” is not a valid email address/);
  });
});

describe("sending", () => {
  beforeAll(async () => {
    workers = await startJobs();
  });

  it("sends the purchase mail with a working setup link, in the buyer's language, and no secret", async () => {
    const bought = await syncFrom(autoActivated());
    const [mail] = await notificationsOf(bought.id, "purchase_received");
    expect(await settled(mail!.id)).toMatchObject({
      status: "sent",
      attempts: 1,
      subject: "Set up your Contoso Analytics account",
    });
    const [received] = await mailsTo(seeded.alice.email, bought.id);
    expect(received).toMatchObject({
      subject: "Set up your Contoso Analytics account",
      from: [{ name: "Contoso SaaS", address: "no-reply@contoso.example" }],
      to: [{ name: "Alice Admin", address: seeded.alice.email }],
      tls: true,
    });
    expect(received!.headers["auto-submitted"]).toBe("auto-generated");
    expect(received!.text).toContain(
      `Set up your account:\nhttp://localhost:3999/account/subscriptions/${bought.id}/setup`,
    );
    expect(received!.html).toContain(`href="http://localhost:3999/account/subscriptions/${bought.id}/setup"`);
    for (const secret of [process.env.AUTH_SECRET!, process.env.MARKETPLACE_CLIENT_SECRET!])
      expect(`${received!.text}${received!.html}`).not.toContain(secret);

    // Japanese, once the buyer chose it.
    await db().user.updateMany({ where: { tid: alice.tid, oid: alice.oid }, data: { locale: "ja" } });
    const japanese = await syncFrom(autoActivated());
    const [jaMail] = await notificationsOf(japanese.id, "purchase_received");
    expect(jaMail!.locale).toBe("ja");
    expect(await settled(jaMail!.id)).toMatchObject({
      status: "sent",
      subject: "Contoso Analytics のアカウント設定をお願いします",
    });
    const [jaReceived] = await mailsTo(seeded.alice.email, japanese.id);
    expect(jaReceived!.text).toContain("Alice Admin 様");
    expect(jaReceived!.text).toContain("アカウントを設定する:");
  });

  it("neutralises CR/LF in a recipient's name: one recipient, no header of its own", async () => {
    await db().user.updateMany({
      where: { tid: alice.tid, oid: alice.oid },
      data: { name: "Alice\r\nBcc: victim@evil.example" },
    });
    const bought = await syncFrom(autoActivated());
    const [mail] = await notificationsOf(bought.id, "purchase_received");
    expect((await settled(mail!.id)).status).toBe("sent");
    const [received] = await mailsTo(seeded.alice.email, bought.id);
    expect(received!.envelope.to).toEqual([seeded.alice.email]);
    expect(received!.to).toEqual([{ name: "Alice Bcc: victim@evil.example", address: seeded.alice.email }]);
    expect(received!.headers.bcc).toBeUndefined();
  });

  it("sends a reminder at its hour while the setup is pending, and skips the next once the setup is done", async () => {
    const bought = await syncFrom(autoActivated());
    const [purchase] = await notificationsOf(bought.id, "purchase_received");
    await settled(purchase!.id);
    const [first, second] = await notificationsOf(bought.id, "setup_reminder");
    // 23 hours on: nothing due yet.
    await bringScheduledSendsForward(bought.id, 23);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await db().notification.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe("queued");
    // 24 hours on: the first reminder goes.
    await bringScheduledSendsForward(bought.id, 1);
    expect(await settled(first!.id)).toMatchObject({
      status: "sent",
      subject: "Reminder: finish setting up Contoso Analytics",
    });
    const [reminder] = (await mailsTo(seeded.alice.email, bought.id)).filter((mail) =>
      mail.subject.startsWith("Reminder"),
    );
    expect(reminder!.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(reminder!.headers["list-unsubscribe"]).toMatch(
      /^<http:\/\/localhost:3999\/api\/notifications\/unsubscribe\?token=/,
    );
    expect((await db().notification.findUniqueOrThrow({ where: { id: second!.id } })).status).toBe("queued");

    await completeSetup({ subscriptionId: bought.id, accountConfig, actor: alice });
    expect(await db().notification.findUniqueOrThrow({ where: { id: second!.id } })).toMatchObject({
      status: "skipped",
      lastError: "The account setup was completed.",
    });
    const [active] = await notificationsOf(bought.id, "subscription_active");
    expect(await settled(active!.id)).toMatchObject({ status: "sent", subject: "Contoso Analytics is ready to use" });
  });

  it("skips a reminder the recipient turned off, but never a service mail", async () => {
    await db().notificationPreference.create({
      data: { addressHash: addressHash(seeded.alice.email), remindersOff: true },
    });
    const snapshot = autoActivated();
    const bought = await syncFrom(snapshot);
    const [first] = await notificationsOf(bought.id, "setup_reminder");
    await bringScheduledSendsForward(bought.id, 24);
    expect(await settled(first!.id)).toMatchObject({
      status: "skipped",
      lastError: "The recipient turned reminders off.",
    });
    await syncFrom({ ...snapshot, saasSubscriptionStatus: "Suspended" });
    const [suspended] = await notificationsOf(bought.id, "suspended");
    expect(await settled(suspended!.id)).toMatchObject({
      status: "sent",
      subject: "Action needed: your Contoso Analytics subscription is suspended",
    });
  });

  it("tells the buyer a change is done, and a cancellation with the data-retention date", async () => {
    const live = autoActivated({ planId: "pro-seats", quantity: 5 });
    await syncFrom(live);
    await syncFrom({ ...live, quantity: 8 });
    const [changed] = await notificationsOf(live.id, "change_completed");
    expect(await settled(changed!.id)).toMatchObject({ status: "sent" });
    const [changeMail] = (await mailsTo(seeded.alice.email, live.id)).filter((mail) =>
      mail.subject.includes("has changed"),
    );
    expect(changeMail!.text).toContain("The number of seats changed from 5 to 8.");

    const cancelled = await syncFrom({ ...live, quantity: 8, saasSubscriptionStatus: "Unsubscribed" });
    const [cancel] = await notificationsOf(live.id, "cancelled");
    expect(await settled(cancel!.id)).toMatchObject({ status: "sent" });
    const day = cancelled.dataRetainedUntil!.toLocaleDateString("en-US", {
      month: "long",
      day: "numeric",
      year: "numeric",
      timeZone: "UTC",
    });
    const [cancelMail] = (await mailsTo(seeded.alice.email, live.id)).filter((mail) =>
      mail.subject.includes("cancelled"),
    );
    expect(cancelMail!.text).toContain(`We keep your data until ${day}`);
    // Reminders that were waiting stop with the subscription.
    const reminders = await notificationsOf(live.id, "setup_reminder");
    expect(reminders.map((n) => [n.status, n.lastError])).toEqual([
      ["skipped", "The subscription was cancelled."],
      ["skipped", "The subscription was cancelled."],
    ]);
  });
});

describe("the inbox", () => {
  it("keeps what it received until it is emptied", async () => {
    await until(
      () => inbox().inbox(),
      (view) => view.mails.length > 0,
      "mails in the inbox",
    );
    await inbox().clearInbox();
    expect((await inbox().inbox()).mails).toEqual([]);
  });
});
