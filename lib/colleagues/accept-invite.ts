import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { loadValidInvite } from "./load-valid-invite";
import { auditActor } from "./require-people-manager";
import { recordAudit } from "../audit/record-audit";

/**
 * Redeems an invitation for the signed-in user: single use (claimed with a conditional update, so
 * of two simultaneous redemptions one wins), only for the customer's organisation, and audited.
 * Someone who already has access leaves the link unused for the colleague it was meant for.
 */
export async function acceptInvite(options: { token: string; actor: Actor; now?: Date }) {
  const now = options.now ?? new Date();
  const { invite, alreadyHasAccess } = await loadValidInvite({ ...options, now });
  if (alreadyHasAccess) return { subscriptionId: invite.subscriptionId, added: false };
  const tid = options.actor.tid.toLowerCase();
  const oid = options.actor.oid.toLowerCase();
  await db().$transaction(async (tx) => {
    const claimed = await tx.subscriptionInvite.updateMany({
      where: { id: invite.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedByTid: tid, acceptedByOid: oid },
    });
    if (claimed.count !== 1) throw new AppError("invite_invalid");
    await tx.subscriptionMember.upsert({
      where: {
        subscriptionId_tenantId_userOid: { subscriptionId: invite.subscriptionId, tenantId: tid, userOid: oid },
      },
      create: {
        subscriptionId: invite.subscriptionId,
        tenantId: tid,
        userOid: oid,
        invitedByTid: invite.createdByTid,
        invitedByOid: invite.createdByOid,
        inviteId: invite.id,
      },
      update: {},
    });
    await recordAudit(tx, {
      subscriptionId: invite.subscriptionId,
      actor: auditActor(options.actor),
      action: "colleague_added",
      detail: { inviteId: invite.id, invitedByOid: invite.createdByOid },
    });
  });
  return { subscriptionId: invite.subscriptionId, added: true };
}
