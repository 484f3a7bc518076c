import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { mayAcceptInvite, subscriptionAccess } from "../subscriptions/ownership";
import { hashInviteToken, inviteState, isWellFormedInviteToken } from "./invite-token";

/**
 * The invitation behind a link, read once with its subscription and the signed-in user's
 * membership, if it can still be used by that user. Unknown, used, withdrawn and expired links get
 * the same answer; a user of another organisation is told so.
 */
export async function loadValidInvite(options: { token: string; actor: Actor; now: Date }) {
  if (!isWellFormedInviteToken(options.token)) throw new AppError("invite_invalid");
  const invite = await db().subscriptionInvite.findUnique({
    where: { tokenHash: hashInviteToken(options.token) },
    include: {
      subscription: {
        include: {
          members: {
            where: { tenantId: options.actor.tid.toLowerCase(), userOid: options.actor.oid.toLowerCase() },
            select: { userOid: true },
          },
        },
      },
    },
  });
  if (!invite || inviteState(invite, options.now) !== "valid") throw new AppError("invite_invalid");
  const { members, ...subscription } = invite.subscription;
  if (!mayAcceptInvite(options.actor, subscription)) throw new AppError("invite_wrong_tenant");
  return {
    invite,
    subscription,
    alreadyHasAccess: subscriptionAccess(options.actor, subscription, members.length > 0) !== null,
  };
}
