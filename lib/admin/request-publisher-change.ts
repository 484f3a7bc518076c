import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { pendingChangeWhere } from "../operations/pending-change";
import {
  recordSubscriptionChange,
  resolveChangeTarget,
  type SubscriptionChange,
} from "../subscriptions/record-subscription-change";

/**
 * A plan change, seat change or cancellation started by the publisher. The same flow as the
 * customer's (recorded with an audit row, sent by the submit-subscription-change job, followed
 * until Microsoft finishes), marked `source: Publisher`. Unlike customers, the publisher is not
 * bound by allowedCustomerOperations (a CSP's subscription may still be changed by the ISV), but
 * Microsoft's state rules and plan limits apply.
 */
export async function requestPublisherChange(options: {
  subscriptionId: string;
  actor: Actor;
  change: SubscriptionChange;
}) {
  const { actor, change } = options;
  const subscription = await db().subscription.findUnique({ where: { id: options.subscriptionId } });
  if (!subscription) throw new AppError("subscription_unknown");
  const allowed = change.kind === "cancel" ? ["Subscribed", "Suspended"] : ["Subscribed"];
  if (!allowed.includes(subscription.status)) {
    throw new AppError("change_not_allowed", {
      message: `${change.kind === "cancel" ? "Cancelling" : "Changing"} is not possible while the subscription is ${subscription.status}. Nothing was changed.`,
    });
  }
  if (await db().operation.findFirst({ where: pendingChangeWhere(subscription.id) })) {
    throw new AppError("change_pending", {
      message: "Another change is still in progress at Microsoft. Wait for it to finish. Nothing was changed.",
    });
  }
  const target = await resolveChangeTarget(subscription, change);
  return recordSubscriptionChange({
    subscription,
    target,
    source: "Publisher",
    actor,
    auditAction: "publisher_change_requested",
  });
}
