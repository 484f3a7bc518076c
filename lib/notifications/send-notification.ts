/**
 * The send job: one notification, one attempt per run (docs/decisions/0020), in the shape of the
 * events' delivery job (lib/events/deliver-event.ts). It first asks whether the message is still
 * wanted (a reminder whose setup was completed, a mail the recipient turned off: skipped, with the
 * reason), writes it in the recipient's language, sends it — a mail over SMTP, or a Teams or Slack
 * message through the events' SSRF-checked HTTP sender — and records the attempt: sent; or failed
 * for good with the reason (a recipient the mail server refuses, a URL the guard refuses); or the
 * next attempt is booked with backoff until NOTIFY_RETRY_WINDOW_HOURS, then failed. A failure here
 * never reaches the request, webhook or acknowledgement that caused the notification: they
 * committed before this job ran.
 */
import "server-only";
import { z } from "zod";
import { describeOffer, describePlan } from "../catalog";
import { db } from "../db";
import { notificationsEnv, portalEnv } from "../env";
import { nextAttemptAt } from "../events/retry-schedule";
import { sendEvent } from "../events/send-event";
import type { Notification } from "../generated/prisma/client";
import { defineJob } from "../jobs/define-job";
import { enqueue, type JobWriter } from "../jobs/enqueue";
import { logger } from "../logger";
import { alertChannels, mailConfigured } from "./alert-routes";
import { slackMessage, teamsMessage } from "./chat-message";
import { composeAlertMail } from "./mail/alert-mail";
import { summarizeAlert, type AlertSummary } from "./mail/alert-summary";
import { composeBuyerMail, type RenderedMail } from "./mail/buyer-mail";
import { notificationTranslator } from "./mail/translator";
import { addressHash } from "./mail-text";
import { notificationDataSchemas, type NotificationData } from "./notification-data";
import {
  isLocale,
  isNotificationKind,
  isPublisherKind,
  type BuyerKind,
  type Locale,
  type NotificationKind,
  type PublisherKind,
} from "./notification-kinds";
import { signPreferenceToken } from "./preference-token";
import { openSealedLink } from "./sealed-link";
import { sendMail, type SendOutcome } from "./smtp-transport";

export const sendNotificationJob = defineJob({
  name: "send-notification",
  payload: z.object({ notificationId: z.uuid() }),
  key: (payload) => payload.notificationId,
  // A failed send is not a failure of the job (it books the next attempt); these retries are for
  // a database that was briefly unreachable.
  retry: { limit: 5, delaySeconds: 10, backoff: true },
  expireInSeconds: 180,
  concurrency: 4,
  run: (payload) => sendNotification(payload),
});

/** Books a run of the send job, at once or at `at`, in the caller's transaction. */
export function scheduleSend(writer: JobWriter, notificationId: string, at?: Date) {
  return enqueue(
    writer,
    sendNotificationJob,
    { notificationId },
    at && at.getTime() > Date.now() ? { startAfter: at, moveEarlier: true } : {},
  );
}

/** A message ready to go: what the console shows of it, and how it is sent. */
interface Prepared {
  subject: string;
  send: () => Promise<SendOutcome>;
}

class NotSendable extends Error {}

export async function sendNotification({ notificationId }: { notificationId: string }): Promise<void> {
  const row = await db().notification.findUnique({ where: { id: notificationId } });
  if (!row || row.status !== "queued") return;
  const due = row.nextAttemptAt ?? row.notBefore;
  if (due.getTime() > Date.now() + 1000) {
    // Started before its time (another job's moveEarlier, a clock ahead): wait for it.
    await scheduleSend(db(), row.id, due);
    return;
  }
  if (!isNotificationKind(row.kind)) return finish(row, { status: "failed", reason: `Unknown kind “${row.kind}”.` });
  const skip = await reasonToSkip(row, row.kind);
  if (skip) return finish(row, { status: "skipped", reason: skip });
  let prepared: Prepared;
  try {
    prepared = await prepare(row, row.kind);
  } catch (error) {
    const reason =
      error instanceof NotSendable
        ? error.message
        : `The message could not be written: ${error instanceof Error ? error.message : String(error)}`;
    logger.warn("notification could not be written", { notificationId: row.id, kind: row.kind, reason });
    return finish(row, { status: "failed", reason });
  }
  const outcome = await prepared.send();
  await recordAttempt(row, outcome, prepared.subject);
}

/** Why this notification should not go any more, or null. */
async function reasonToSkip(row: Notification, kind: NotificationKind): Promise<string | null> {
  const env = notificationsEnv();
  if (!isPublisherKind(kind) && !env.NOTIFY_BUYERS) return "Mails to buyers are turned off (NOTIFY_BUYERS=false).";
  if (row.channel === "email" && !mailConfigured()) return "Email is not configured (SMTP_HOST is not set).";
  if (row.channel !== "email" && isPublisherKind(kind) && !alertChannels(kind)[row.channel])
    return `No ${row.channel === "teams" ? "Teams" : "Slack"} URL is configured for this alert any more.`;
  if (!row.essential) {
    const preference = await db().notificationPreference.findUnique({
      where: { addressHash: addressHash(row.recipient) },
      select: { remindersOff: true },
    });
    if (preference?.remindersOff) return "The recipient turned reminders off.";
  }
  if (kind === "purchase_received" || kind === "setup_reminder") {
    const subscription = row.subscriptionId
      ? await db().subscription.findUnique({
          where: { id: row.subscriptionId },
          select: { status: true, setupState: true },
        })
      : null;
    if (!subscription) return "The subscription is not known any more.";
    if (subscription.setupState === "complete") return "The account setup was completed.";
    if (subscription.status !== "Subscribed") return `The subscription is ${subscription.status} now.`;
  }
  return null;
}

function dataOf<K extends NotificationKind>(kind: K, row: Notification): NotificationData<K> {
  const parsed = notificationDataSchemas[kind].safeParse(row.data);
  if (!parsed.success)
    throw new NotSendable(
      `Its data does not fit the kind ${kind}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  return parsed.data as NotificationData<K>;
}

const absolute = (path: string) => new URL(path, `${portalEnv().PUBLIC_BASE_URL}/`).toString();

function logoUrlOf(logoUrl: string | undefined): string | null {
  if (!logoUrl) return null;
  return /^https?:\/\//i.test(logoUrl) ? logoUrl : absolute(logoUrl);
}

async function prepare(row: Notification, kind: NotificationKind): Promise<Prepared> {
  const locale: Locale = isLocale(row.locale) ? row.locale : "en";
  const t = notificationTranslator(locale);
  const productName = portalEnv().PRODUCT_NAME;
  if (isPublisherKind(kind)) {
    const summary = summarizeAlert(kind, dataOf(kind, row), {
      t,
      offerName: (offerId) => describeOffer(offerId).displayName,
      planName: (offerId, planId) => describePlan(offerId, planId).displayName,
      consoleUrl: absolute,
      productName,
    });
    if (row.channel === "email") return prepareMail(row, composeAlertMail(summary, { locale, productName }), {});
    return prepareChat(row, kind, summary);
  }
  return prepareMail(row, await composeBuyer(row, kind, locale), await buyerHeaders(row, locale));
}

async function composeBuyer(row: Notification, kind: BuyerKind, locale: Locale): Promise<RenderedMail> {
  const data = dataOf(kind, row);
  const offer = describeOffer(data.offerId);
  const base = portalEnv().PUBLIC_BASE_URL;
  const token = encodeURIComponent(await signPreferenceToken({ addressHash: addressHash(row.recipient), locale }));
  let invitation: string | null = null;
  if (kind === "colleague_invitation") {
    invitation = row.sealedLink ? openSealedLink(row.sealedLink) : null;
    if (!invitation)
      throw new NotSendable(
        "The invitation link is not available any more (it is kept only until its mail is sent): create a new invitation.",
      );
  }
  return composeBuyerMail(kind, data, {
    locale,
    t: notificationTranslator(locale),
    offerName: offer.displayName,
    logoUrl: logoUrlOf(offer.logoUrl),
    planName: (planId) => describePlan(data.offerId, planId).displayName,
    recipientName: row.recipientName,
    senderName: portalEnv().PRODUCT_NAME,
    essential: row.essential,
    links: {
      account: `${base}/account/subscriptions/${encodeURIComponent(data.subscriptionId)}`,
      setup: `${base}/account/subscriptions/${encodeURIComponent(data.subscriptionId)}/setup`,
      preferences: `${base}/notifications/preferences?token=${token}`,
      stopReminders: row.essential ? null : `${base}/notifications/preferences?token=${token}&stop=reminders`,
      azurePortal: portalEnv().MARKETPLACE_PORTAL_URL,
      invitation,
    },
  });
}

/** A reminder carries the one-click unsubscribe mail programs offer (RFC 8058); every mail says it is automatic. */
async function buyerHeaders(row: Notification, locale: Locale): Promise<Record<string, string>> {
  if (row.essential) return {};
  const token = encodeURIComponent(await signPreferenceToken({ addressHash: addressHash(row.recipient), locale }));
  return {
    "List-Unsubscribe": `<${portalEnv().PUBLIC_BASE_URL}/api/notifications/unsubscribe?token=${token}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

function prepareMail(row: Notification, mail: RenderedMail, headers: Record<string, string>): Prepared {
  const env = notificationsEnv();
  const from = env.MAIL_FROM;
  if (!from) throw new NotSendable("MAIL_FROM is not configured.");
  const domain = from.address.split("@")[1] ?? "localhost";
  return {
    subject: mail.subject,
    send: () =>
      sendMail({
        from: { name: from.name || portalEnv().PRODUCT_NAME, address: from.address },
        to: { name: row.recipientName, address: row.recipient },
        ...(env.MAIL_REPLY_TO ? { replyTo: env.MAIL_REPLY_TO } : {}),
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: `<notification.${row.id}@${domain}>`,
        headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All", ...headers },
      }),
  };
}

function prepareChat(row: Notification, kind: PublisherKind, summary: AlertSummary): Prepared {
  const channel = row.channel as "teams" | "slack";
  const url = alertChannels(kind)[channel];
  if (!url) throw new NotSendable(`No ${channel === "teams" ? "Teams" : "Slack"} URL is configured for this alert.`);
  const env = notificationsEnv();
  const body = JSON.stringify(channel === "teams" ? teamsMessage(summary) : slackMessage(summary));
  return {
    subject: summary.title,
    send: async () => {
      // The events' sender: the host is resolved and checked (public, or allowed) at each attempt,
      // the checked address is the one connected to, redirects are not followed.
      const result = await sendEvent({
        url,
        headers: { "content-type": "application/json", "user-agent": "marketplace-saas-portal-notifications/1" },
        body,
        timeoutMs: env.NOTIFY_WEBHOOK_TIMEOUT_SECONDS * 1000,
        allowList: env.NOTIFY_WEBHOOK_ALLOWED_HOSTS,
      });
      if (result.outcome === "delivered") return { ok: true, response: `HTTP ${result.statusCode}` };
      const where = channel === "teams" ? "Teams" : "Slack";
      return {
        ok: false,
        // A refused address stays refused until the configuration changes.
        permanent: result.outcome === "refused_address",
        error: `${where}: ${result.error ?? result.outcome}${result.responseExcerpt ? ` (${result.responseExcerpt.slice(0, 200)})` : ""}`,
      };
    },
  };
}

/** Ends the notification as failed or skipped, with the reason (only the attempt cycle it belongs to). */
async function finish(row: Notification, end: { status: "failed" | "skipped"; reason: string }) {
  await db().notification.updateMany({
    where: { id: row.id, status: "queued", cycleStartedAt: row.cycleStartedAt },
    data: { status: end.status, lastError: end.reason, nextAttemptAt: null },
  });
}

async function recordAttempt(row: Notification, outcome: SendOutcome, subject: string) {
  const env = notificationsEnv();
  const now = new Date();
  const current = { id: row.id, status: "queued" as const, cycleStartedAt: row.cycleStartedAt };
  const counted = { attempts: { increment: 1 }, lastAttemptAt: now, subject };
  if (outcome.ok) {
    await db().notification.updateMany({
      where: current,
      // The invitation link is not kept once its mail went.
      data: { ...counted, status: "sent", sentAt: now, lastError: null, nextAttemptAt: null, sealedLink: null },
    });
    return;
  }
  logger.warn(outcome.permanent ? "notification failed" : "notification attempt failed; will retry", {
    notificationId: row.id,
    kind: row.kind,
    channel: row.channel,
    attempt: row.attempts + 1,
    reason: outcome.error,
  });
  if (outcome.permanent) {
    await db().notification.updateMany({
      where: current,
      data: { ...counted, status: "failed", lastError: outcome.error, nextAttemptAt: null },
    });
    return;
  }
  const next = nextAttemptAt({
    failedAttempts: row.attempts + 1,
    startedAt: row.cycleStartedAt,
    now,
    settings: {
      baseMs: env.NOTIFY_RETRY_BASE_SECONDS * 1000,
      maxDelayMs: env.NOTIFY_RETRY_MAX_DELAY_SECONDS * 1000,
      windowMs: env.NOTIFY_RETRY_WINDOW_HOURS * 3_600_000,
    },
  });
  await db().$transaction(async (tx) => {
    const updated = await tx.notification.updateMany({
      where: current,
      data: next
        ? { ...counted, lastError: outcome.error, nextAttemptAt: next }
        : {
            ...counted,
            status: "failed",
            nextAttemptAt: null,
            lastError: `No successful attempt within ${env.NOTIFY_RETRY_WINDOW_HOURS} h (${row.attempts + 1} attempts); last: ${outcome.error}`,
          },
    });
    if (updated.count > 0 && next) await scheduleSend(tx, row.id, next);
  });
}
