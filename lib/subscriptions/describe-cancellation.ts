import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { pendingChangeWhere } from "../operations/pending-change";
import { customerPermission } from "./change-rules";
import { findOwnSubscription } from "./find-own-subscription";

/** What the cancel page needs (no plans from Microsoft, no history), or null when it is not theirs. */
export async function describeCancellation(options: { subscriptionId: string; actor: Actor }) {
  const subscription = await findOwnSubscription(options);
  if (!subscription) return null;
  const pending = await db().operation.findFirst({ where: pendingChangeWhere(subscription.id), select: { id: true } });
  return { subscription, permission: customerPermission(subscription, "cancel"), pending: pending !== null };
}
