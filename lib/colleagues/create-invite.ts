import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { hashInviteToken, INVITE_VALIDITY_DAYS, newInviteToken } from "./invite-token";
import { auditActor, requirePeopleManager } from "./require-people-manager";
import { recordAudit } from "../audit/record-audit";

const MAX_OPEN_INVITES = 20;

/**
 * A new single-use invitation link to a subscription (docs/decisions/0003), created by a party or
 * a tenant admin. The secret is returned once and never stored.
 */
export async function createInvite(options: { subscriptionId: string; actor: Actor; now?: Date }) {
  const subscription = await requirePeopleManager(options);
  if (subscription.status === "Unsubscribed")
    throw new AppError("change_not_allowed", {
      message: "This subscription is cancelled: there is nothing to give access to.",
    });
  const now = options.now ?? new Date();
  const open = await db().subscriptionInvite.count({
    where: { subscriptionId: subscription.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
  });
  if (open >= MAX_OPEN_INVITES)
    throw new AppError("change_not_allowed", {
      message: `There are already ${MAX_OPEN_INVITES} open invitations. Withdraw some before creating more.`,
    });

  const token = newInviteToken();
  const expiresAt = new Date(now.getTime() + INVITE_VALIDITY_DAYS * 86_400_000);
  const invite = await db().$transaction(async (tx) => {
    const created = await tx.subscriptionInvite.create({
      data: {
        subscriptionId: subscription.id,
        tokenHash: hashInviteToken(token),
        createdByTid: options.actor.tid,
        createdByOid: options.actor.oid,
        expiresAt,
      },
    });
    await recordAudit(tx, {
      subscriptionId: subscription.id,
      actor: auditActor(options.actor),
      action: "invite_created",
      detail: { inviteId: created.id, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return { inviteId: invite.id, token, expiresAt };
}
