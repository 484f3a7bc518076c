/**
 * The console's list of notifications (newest first, filtered), and what the portal sends where:
 * whether email is configured, who receives the alerts, the chats' hosts (never their URLs).
 */
import "server-only";
import { z } from "zod";
import { queryText } from "../admin/query-text";
import { db } from "../db";
import { notificationsEnv } from "../env";
import type { Prisma } from "../generated/prisma/client";
import { chatUrlHost, mailConfigured } from "./alert-routes";
import { isNotificationKind, notificationKindNames } from "./notification-kinds";

export const NOTIFICATIONS_PER_PAGE = 50;

export const notificationQuerySchema = z.object({
  status: z.enum(["queued", "sent", "failed", "skipped"]).optional().catch(undefined),
  channel: z.enum(["email", "teams", "slack"]).optional().catch(undefined),
  audience: z.enum(["buyer", "publisher"]).optional().catch(undefined),
  kind: z
    .string()
    .refine((kind) => isNotificationKind(kind))
    .optional()
    .catch(undefined),
  /** A recipient's address or a subscription id. */
  q: queryText("Search", 200),
  page: z.coerce.number().int().min(1).max(1000).catch(1).default(1),
});
export type NotificationQuery = z.infer<typeof notificationQuerySchema>;

export async function listNotifications(query: NotificationQuery) {
  const where: Prisma.NotificationWhereInput = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.channel ? { channel: query.channel } : {}),
    ...(query.audience ? { audience: query.audience } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.q ? { OR: [{ recipient: query.q.toLowerCase() }, { subscriptionId: query.q.toLowerCase() }] } : {}),
  };
  const [total, rows, counts] = await Promise.all([
    db().notification.count({ where }),
    db().notification.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * NOTIFICATIONS_PER_PAGE,
      take: NOTIFICATIONS_PER_PAGE,
      select: {
        id: true,
        kind: true,
        audience: true,
        channel: true,
        recipient: true,
        recipientName: true,
        locale: true,
        essential: true,
        subscriptionId: true,
        status: true,
        notBefore: true,
        attempts: true,
        nextAttemptAt: true,
        lastAttemptAt: true,
        lastError: true,
        subject: true,
        sentAt: true,
        createdAt: true,
        sealedLink: true,
      },
    }),
    db().notification.groupBy({ by: ["status"], _count: true }),
  ]);
  const ids = [...new Set(rows.map((row) => row.subscriptionId).filter((id): id is string => Boolean(id)))];
  const names = new Map(
    (await db().subscription.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((s) => [
      s.id,
      s.name,
    ]),
  );
  return {
    total,
    lastPage: Math.max(1, Math.ceil(total / NOTIFICATIONS_PER_PAGE)),
    counts: Object.fromEntries(counts.map((row) => [row.status, row._count])) as Partial<Record<string, number>>,
    notifications: rows.map(({ sealedLink, ...row }) => ({
      ...row,
      subscriptionName: row.subscriptionId ? (names.get(row.subscriptionId) ?? null) : null,
      /** An invitation whose link was erased cannot be sent again. */
      canResend: row.status !== "queued" && !(row.kind === "colleague_invitation" && !sealedLink),
    })),
  };
}

export function notificationSetup() {
  const env = notificationsEnv();
  return {
    email: mailConfigured()
      ? {
          host: env.SMTP_HOST!,
          port: env.SMTP_PORT,
          security: env.SMTP_SECURITY,
          auth: env.SMTP_AUTH,
          from: env.MAIL_FROM,
        }
      : null,
    buyers: env.NOTIFY_BUYERS,
    alertEmails: env.NOTIFY_ALERT_EMAILS,
    teamsHost: chatUrlHost(env.NOTIFY_ALERT_TEAMS_URL ?? null),
    slackHost: chatUrlHost(env.NOTIFY_ALERT_SLACK_URL ?? null),
    routes: Object.keys(env.NOTIFY_ALERT_ROUTES),
    kinds: notificationKindNames,
  };
}
