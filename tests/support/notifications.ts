/**
 * Notifications in integration tests: the rows of a subscription, waiting until they settle, the
 * sandbox inbox's mails to an address, and moving scheduled sends forward in time.
 */
import { db } from "@/lib/db";
import type { Notification } from "@/lib/generated/prisma/client";
import { sandboxControl, type InboxMail } from "./sandbox-control";
import { until } from "./until";

export const inbox = () => sandboxControl();

export function notificationsOf(subscriptionId: string, kind?: string): Promise<Notification[]> {
  return db().notification.findMany({
    where: { subscriptionId, ...(kind ? { kind } : {}) },
    orderBy: [{ createdAt: "asc" }, { recipient: "asc" }],
  });
}

/** Waits until the notification is no longer queued, and returns it. */
export function settled(notificationId: string, timeoutMs = 20_000): Promise<Notification> {
  return until(
    () => db().notification.findUniqueOrThrow({ where: { id: notificationId } }),
    (row) => row.status !== "queued",
    `notification ${notificationId} to leave "queued"`,
    timeoutMs,
  );
}

/** Mails in the sandbox's inbox to an address (newest first), optionally about one subscription. */
export async function mailsTo(address: string, subscriptionId?: string): Promise<InboxMail[]> {
  const { mails } = await inbox().inbox();
  return mails.filter(
    (mail) =>
      mail.envelope.to.includes(address) &&
      (!subscriptionId || (mail.text ?? "").includes(subscriptionId) || (mail.html ?? "").includes(subscriptionId)),
  );
}
