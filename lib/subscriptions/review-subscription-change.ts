import "server-only";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import type { Subscription } from "../generated/prisma/client";
import { logger } from "../logger";
import { expireStaleChanges } from "../operations/expire-stale-changes";
import { pendingChangeWhere } from "../operations/pending-change";
import { namedPlans } from "../catalog";
import { availablePlans } from "./available-plans";
import {
  changeConsequences,
  type ChangeConsequences,
  type ChangeRefusal,
  type RequestedChange,
} from "./change-consequences";
import { customerPermission, type PermissionReason } from "./change-rules";
import { findOwnSubscription } from "./find-own-subscription";
import { policyRefusal } from "./record-subscription-change";

export type ChangeReview =
  | { state: "ready"; consequences: ChangeConsequences }
  /** The change is not possible as asked (seats out of range, a plan not offered, the publisher's policy). */
  | { state: "invalid"; refusal: ChangeRefusal }
  | { state: "not-allowed"; reason: PermissionReason }
  | { state: "pending" }
  | { state: "plans-unavailable" };

/**
 * The review step of a customer's plan or seat change: what it would do (change-consequences.ts),
 * from the same plans and rules the confirmation is checked against, before anything is sent.
 * Null when the subscription is not the caller's (the page then says "not found").
 */
export async function reviewSubscriptionChange(options: {
  subscriptionId: string;
  actor: Actor;
  change: RequestedChange;
}) {
  const subscription = await findOwnSubscription(options);
  if (!subscription) return null;
  return { subscription, review: await review(subscription, options.change) };
}

async function review(subscription: Subscription, change: RequestedChange): Promise<ChangeReview> {
  const permission = customerPermission(subscription, change.kind);
  if (!permission.allowed) return { state: "not-allowed", reason: permission.reason };
  await expireStaleChanges({ subscriptionId: subscription.id });
  if (await db().operation.findFirst({ where: pendingChangeWhere(subscription.id), select: { id: true } }))
    return { state: "pending" };
  let plans;
  try {
    plans = namedPlans(subscription.offerId, await availablePlans(subscription));
  } catch (error) {
    logger.warn("could not load available plans for a change review", { subscriptionId: subscription.id, error });
    return { state: "plans-unavailable" };
  }
  // The same consequences and refusals the confirmation is held to (record-subscription-change.ts).
  const result = changeConsequences({ subscription, plans, change });
  if (!result.ok) return { state: "invalid", refusal: result.refusal };
  const refusal = policyRefusal(subscription, result.consequences);
  return refusal ? { state: "invalid", refusal } : { state: "ready", consequences: result.consequences };
}
