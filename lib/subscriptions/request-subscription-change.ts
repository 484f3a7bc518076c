import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { customerPermission } from "./change-rules";
import { findOwnSubscription } from "./find-own-subscription";
import { expireStaleChanges } from "../operations/expire-stale-changes";
import { pendingChangeWhere } from "../operations/pending-change";
import { recordSubscriptionChange, resolveChangeTarget, type SubscriptionChange } from "./record-subscription-change";

/**
 * A customer's plan change, seat change or cancellation. Checked on the server (the caller must be
 * a party, a tenant admin or an invited colleague (decisions/0003) — otherwise "not found"; Microsoft must allow the operation; one
 * change at a time; the plan must be one Microsoft offers this subscription; seats within the
 * plan's limits), recorded with an audit row, and handed to a job: the request returns at once,
 * whatever Microsoft's latency, and the page follows the operation.
 */
export async function requestSubscriptionChange(options: {
  subscriptionId: string;
  actor: Actor;
  change: SubscriptionChange;
}) {
  const { actor, change } = options;
  const subscription = await findOwnSubscription({ subscriptionId: options.subscriptionId, actor });
  if (!subscription) throw new AppError("not_owner");

  const permission = customerPermission(subscription, change.kind);
  if (!permission.allowed) throw new AppError("change_not_allowed", { message: permission.reason });
  await expireStaleChanges({ subscriptionId: subscription.id });
  if (await db().operation.findFirst({ where: pendingChangeWhere(subscription.id) }))
    throw new AppError("change_pending");

  const target = await resolveChangeTarget(subscription, change);
  return recordSubscriptionChange({ subscription, target, source: "Customer", actor, auditAction: "change_requested" });
}
