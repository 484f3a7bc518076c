import "server-only";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { isPartyToSubscription } from "./ownership";

/** A subscription the signed-in user may see, or null (unknown and not-yours are the same answer). */
export async function findOwnSubscription(options: { subscriptionId: string; actor: Actor }) {
  if (!/^[0-9a-f-]{36}$/i.test(options.subscriptionId)) return null;
  const subscription = await db().subscription.findUnique({ where: { id: options.subscriptionId } });
  return subscription && isPartyToSubscription(options.actor, subscription) ? subscription : null;
}

/** Every subscription the signed-in user bought, uses or set up. */
export async function listOwnSubscriptions(options: { actor: Actor }) {
  const { tid, oid } = options.actor;
  return db().subscription.findMany({
    where: {
      OR: [
        { beneficiaryTenantId: tid, beneficiaryObjectId: oid },
        { purchaserTenantId: tid, purchaserObjectId: oid },
        { ownerTenantId: tid, ownerUserOid: oid },
      ],
    },
    orderBy: { createdAt: "desc" },
  });
}
