import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { holdsTenantAdminRole, subscriptionAccess, type SubscriptionAccess } from "./ownership";
import { pendingChangeWhere } from "../operations/pending-change";

const isSubscriptionId = (id: string) => /^[0-9a-f-]{36}$/i.test(id);

/**
 * A subscription the signed-in user may see, with the reason they may (party, tenant admin or
 * invited colleague), or null: unknown and not-yours are the same answer.
 */
export async function findAccessibleSubscription(options: { subscriptionId: string; actor: Actor }) {
  if (!isSubscriptionId(options.subscriptionId)) return null;
  const { tid, oid } = options.actor;
  const subscription = await db().subscription.findUnique({
    where: { id: options.subscriptionId },
    include: {
      members: { where: { tenantId: tid.toLowerCase(), userOid: oid.toLowerCase() }, select: { userOid: true } },
    },
  });
  if (!subscription) return null;
  const { members, ...row } = subscription;
  const access = subscriptionAccess(options.actor, row, members.length > 0);
  return access ? { subscription: row, access } : null;
}

/** The subscription if the signed-in user may see it (see findAccessibleSubscription). */
export async function findOwnSubscription(options: { subscriptionId: string; actor: Actor }) {
  return (await findAccessibleSubscription(options))?.subscription ?? null;
}

/** Every subscription the signed-in user bought, uses, set up, was invited to, or administers as a tenant admin, with its pending change if any. */
export async function listOwnSubscriptions(options: { actor: Actor }) {
  const tid = options.actor.tid.toLowerCase();
  const oid = options.actor.oid.toLowerCase();
  const isTenantAdmin = holdsTenantAdminRole(options.actor);
  return db().subscription.findMany({
    where: {
      OR: [
        { beneficiaryTenantId: tid, beneficiaryObjectId: oid },
        { purchaserTenantId: tid, purchaserObjectId: oid },
        { ownerTenantId: tid, ownerUserOid: oid },
        { members: { some: { tenantId: tid, userOid: oid } } },
        ...(isTenantAdmin ? [{ beneficiaryTenantId: tid }] : []),
      ],
    },
    include: { operations: { where: pendingChangeWhere(), orderBy: { createdAt: "desc" }, take: 1 } },
    orderBy: { createdAt: "desc" },
  });
}

export type { SubscriptionAccess };
