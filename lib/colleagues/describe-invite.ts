import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { loadValidInvite } from "./load-valid-invite";

/** What the invitation page shows before the colleague accepts (see loadValidInvite for refusals). */
export async function describeInvite(options: { token: string; actor: Actor; now?: Date }) {
  const { invite, subscription, alreadyHasAccess } = await loadValidInvite({
    ...options,
    now: options.now ?? new Date(),
  });
  const inviter = await db().user.findUnique({
    where: { tid_oid: { tid: invite.createdByTid, oid: invite.createdByOid } },
    select: { name: true },
  });
  return {
    subscriptionId: subscription.id,
    subscriptionName: subscription.name,
    offerId: subscription.offerId,
    invitedBy: inviter?.name ?? null,
    expiresAt: invite.expiresAt,
    alreadyHasAccess,
  };
}
