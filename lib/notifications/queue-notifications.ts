/**
 * The notification outbox's one write path (docs/decisions/0020): rows written in the caller's
 * transaction — the transaction of the change that causes them — each with its send job, so a
 * notification exists if and only if its cause committed, and sending happens later, outside the
 * request, the webhook or the acknowledgement.
 *
 * Idempotent: a row's key is the hash of its cause, kind, channel and recipient, unique in the
 * table, so the same cause written twice (a webhook processed again, a job run twice) notifies
 * each recipient once. An address that cannot receive mail is written as failed at once, with
 * the reason, and the others go.
 */
import "server-only";
import { createHash } from "node:crypto";
import type { NotificationChannel, Prisma } from "../generated/prisma/client";
import type { JobWriter } from "../jobs/enqueue";
import { notificationDataSchemas, type NotificationData } from "./notification-data";
import { audienceOf, isEssential, type Locale, type NotificationKind } from "./notification-kinds";
import { scheduleSend } from "./send-notification";

export interface NotificationToQueue<K extends NotificationKind = NotificationKind> {
  kind: K;
  /** What caused it, stable when the cause is processed again: e.g. `suspended:<subscription>:<when>`. */
  cause: string;
  channel: NotificationChannel;
  /** An email address, or `teams` / `slack`. */
  recipient: string;
  recipientName?: string | null;
  locale: Locale;
  subscriptionId?: string | null;
  data: NotificationData<K>;
  /** Not before then (a reminder). */
  notBefore?: Date;
  /** A secret link the message must carry, already sealed (sealed-link.ts). */
  sealedLink?: string | null;
  /** Written as failed at once, with this reason. */
  problem?: string | null;
}

export function idempotencyKey(item: Pick<NotificationToQueue, "cause" | "kind" | "channel" | "recipient">): string {
  return createHash("sha256")
    .update([item.cause, item.kind, item.channel, item.recipient.toLowerCase()].join("\n"))
    .digest("hex");
}

/** Writes the notifications not written before, with their send jobs; returns the ids written. */
export async function queueNotifications(writer: JobWriter, items: NotificationToQueue[]): Promise<string[]> {
  if (items.length === 0) return [];
  const now = new Date();
  const rows: Prisma.NotificationCreateManyInput[] = items.map((item) => ({
    idempotencyKey: idempotencyKey(item),
    kind: item.kind,
    audience: audienceOf(item.kind),
    channel: item.channel,
    recipient: item.recipient,
    recipientName: item.recipientName ?? null,
    locale: item.locale,
    essential: isEssential(item.kind),
    subscriptionId: item.subscriptionId ?? null,
    // Checked here too, so a producer cannot write what the sender would refuse.
    data: notificationDataSchemas[item.kind].parse(item.data),
    sealedLink: item.sealedLink ?? null,
    notBefore: item.notBefore ?? now,
    cycleStartedAt: item.notBefore && item.notBefore > now ? item.notBefore : now,
    ...(item.problem ? { status: "failed" as const, lastError: item.problem } : {}),
  }));
  const written = await writer.notification.createManyAndReturn({
    data: rows,
    skipDuplicates: true,
    select: { id: true, status: true, notBefore: true },
  });
  for (const row of written) if (row.status === "queued") await scheduleSend(writer, row.id, row.notBefore);
  return written.map((row) => row.id);
}
