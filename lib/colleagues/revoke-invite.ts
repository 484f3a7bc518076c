import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { auditActor, requirePeopleManager } from "./require-people-manager";
import { recordAudit } from "../audit/record-audit";

/** Withdraws an invitation that has not been used yet. */
export async function revokeInvite(options: { subscriptionId: string; inviteId: string; actor: Actor }) {
  const subscription = await requirePeopleManager(options);
  await db().$transaction(async (tx) => {
    const revoked = await tx.subscriptionInvite.updateMany({
      where: { id: options.inviteId, subscriptionId: subscription.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count !== 1)
      throw new AppError("invite_invalid", { message: "This invitation was already used or withdrawn." });
    await recordAudit(tx, {
      subscriptionId: subscription.id,
      actor: auditActor(options.actor),
      action: "invite_revoked",
      detail: { inviteId: options.inviteId },
    });
  });
}
