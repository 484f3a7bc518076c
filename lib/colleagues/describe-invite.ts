import "server-only";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError } from "../errors";
import { findAccessibleSubscription } from "../subscriptions/find-own-subscription";
import { mayAcceptInvite } from "../subscriptions/ownership";
import { hashInviteToken, inviteState, isWellFormedInviteToken } from "./invite-token";

/**
 * What the invitation page shows before the colleague accepts. Unknown, used, withdrawn and
 * expired links get the same answer; a user of another organisation is told so.
 */
export async function describeInvite(options: { token: string; actor: Actor; now?: Date }) {
  const now = options.now ?? new Date();
  if (!isWellFormedInviteToken(options.token)) throw new AppError("invite_invalid");
  const invite = await db().subscriptionInvite.findUnique({ where: { tokenHash: hashInviteToken(options.token) }, include: { subscription: true } });
  if (!invite || inviteState(invite, now) !== "valid") throw new AppError("invite_invalid");
  const { subscription } = invite;
  if (!mayAcceptInvite(options.actor, subscription)) throw new AppError("invite_wrong_tenant");
  const existing = await findAccessibleSubscription({ subscriptionId: subscription.id, actor: options.actor });
  const inviter = await db().user.findUnique({ where: { tid_oid: { tid: invite.createdByTid, oid: invite.createdByOid } }, select: { name: true } });
  return {
    subscriptionId: subscription.id,
    subscriptionName: subscription.name,
    offerId: subscription.offerId,
    invitedBy: inviter?.name ?? null,
    expiresAt: invite.expiresAt,
    alreadyHasAccess: existing !== null,
  };
}
