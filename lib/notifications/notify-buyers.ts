/**
 * A mail to the buyers of a subscription (buyer-recipients.ts: purchaser and beneficiary, one per
 * address), written in the caller's transaction. Nothing is written when mails to buyers are off
 * (NOTIFY_BUYERS=false) or email is not configured.
 */
import "server-only";
import { notificationsEnv } from "../env";
import type { Subscription } from "../generated/prisma/client";
import type { JobWriter } from "../jobs/enqueue";
import { mailConfigured } from "./alert-routes";
import { buyerRecipients } from "./buyer-recipients";
import type { NotificationData } from "./notification-data";
import type { BuyerKind } from "./notification-kinds";
import { queueNotifications, type NotificationToQueue } from "./queue-notifications";

export type BuyerParties = Pick<
  Subscription,
  | "id"
  | "purchaserEmail"
  | "purchaserTenantId"
  | "purchaserObjectId"
  | "beneficiaryEmail"
  | "beneficiaryTenantId"
  | "beneficiaryObjectId"
>;

export async function notifyBuyers<K extends BuyerKind>(
  writer: JobWriter,
  subscription: BuyerParties,
  notification: { kind: K; cause: string; data: NotificationData<K>; notBefore?: Date },
): Promise<string[]> {
  if (!notificationsEnv().NOTIFY_BUYERS || !mailConfigured()) return [];
  const recipients = await buyerRecipients(writer, subscription);
  const items: NotificationToQueue<K>[] = recipients.map((recipient) => ({
    ...notification,
    channel: "email",
    recipient: recipient.address,
    recipientName: recipient.name,
    locale: recipient.locale,
    subscriptionId: subscription.id,
    problem: recipient.problem,
  }));
  return queueNotifications(writer, items);
}
