/**
 * An alert to the publisher's team, written in the caller's transaction: one notification per
 * address and per chat (alert-routes.ts), in NOTIFY_ALERT_LOCALE. The cause makes it idempotent:
 * the same failure reported twice alerts once.
 */
import "server-only";
import { notificationsEnv } from "../env";
import type { JobWriter } from "../jobs/enqueue";
import { alertChannels } from "./alert-routes";
import type { NotificationData } from "./notification-data";
import type { PublisherKind } from "./notification-kinds";
import { queueNotifications, type NotificationToQueue } from "./queue-notifications";

export async function alertPublisher<K extends PublisherKind>(
  writer: JobWriter,
  alert: { kind: K; cause: string; data: NotificationData<K>; subscriptionId?: string | null },
): Promise<string[]> {
  const channels = alertChannels(alert.kind);
  const locale = notificationsEnv().NOTIFY_ALERT_LOCALE;
  const common = {
    kind: alert.kind,
    cause: alert.cause,
    locale,
    subscriptionId: alert.subscriptionId ?? null,
    data: alert.data,
  };
  const items: NotificationToQueue<K>[] = [
    ...channels.emails.map((address) => ({ ...common, channel: "email" as const, recipient: address })),
    ...(channels.teams ? [{ ...common, channel: "teams" as const, recipient: "teams" }] : []),
    ...(channels.slack ? [{ ...common, channel: "slack" as const, recipient: "slack" }] : []),
  ];
  return queueNotifications(writer, items);
}
