/**
 * The publisher's `setup_pending` alert, once per subscription: live (billed) for more than
 * NOTIFY_SETUP_PENDING_ALERT_DAYS while its account setup is still pending — the buyer who never
 * came back, whom someone should call. Hourly, at 23 past.
 */
import "server-only";
import { z } from "zod";
import { db } from "../db";
import { notificationsEnv } from "../env";
import { defineJob } from "../jobs/define-job";
import { wakeWorkers } from "../jobs/wake";
import { alertPublisher } from "./alert-publisher";
import { alertChannels } from "./alert-routes";
import { subscriptionFactsOf } from "./subscription-facts";

const BATCH = 500;

export async function alertPendingSetups(options: { now?: Date } = {}): Promise<number> {
  const channels = alertChannels("setup_pending");
  if (channels.emails.length === 0 && !channels.teams && !channels.slack) return 0;
  const now = options.now ?? new Date();
  const days = notificationsEnv().NOTIFY_SETUP_PENDING_ALERT_DAYS;
  const before = new Date(now.getTime() - days * 86_400_000);
  const pending = await db().subscription.findMany({
    where: { status: "Subscribed", setupState: "pending", activatedAt: { lt: before } },
    orderBy: { activatedAt: "asc" },
    take: BATCH,
  });
  let written = 0;
  for (const subscription of pending) {
    const since = subscription.activatedAt ?? subscription.createdAt;
    const ids = await db().$transaction((tx) =>
      alertPublisher(tx, {
        kind: "setup_pending",
        cause: `setup-pending:${subscription.id}`,
        subscriptionId: subscription.id,
        data: {
          ...subscriptionFactsOf(subscription),
          days: Math.floor((now.getTime() - since.getTime()) / 86_400_000),
          since: since.toISOString(),
        },
      }),
    );
    written += ids.length;
  }
  if (written > 0) wakeWorkers();
  return written;
}

export const alertPendingSetupsJob = defineJob({
  name: "alert-pending-setups",
  payload: z.object({}),
  key: () => "hourly",
  retry: { limit: 2, delaySeconds: 60, backoff: true },
  expireInSeconds: 10 * 60,
  schedule: () => ({ cron: "23 * * * *", payload: {} }),
  run: async () => {
    await alertPendingSetups();
  },
});
