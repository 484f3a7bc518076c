import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { auditActor, requirePeopleManager } from "./require-people-manager";
import { recordAudit } from "../audit/record-audit";

/** Takes an invited colleague's access away (parties and tenant admins keep theirs: it does not come from an invitation). */
export async function removeColleague(options: {
  subscriptionId: string;
  tenantId: string;
  userOid: string;
  actor: Actor;
}) {
  const subscription = await requirePeopleManager(options);
  await db().$transaction(async (tx) => {
    const removed = await tx.subscriptionMember.deleteMany({
      where: {
        subscriptionId: subscription.id,
        tenantId: options.tenantId.toLowerCase(),
        userOid: options.userOid.toLowerCase(),
      },
    });
    if (removed.count !== 1)
      throw new AppError("invalid_input", { message: "This person has no invited access to remove." });
    await recordAudit(tx, {
      subscriptionId: subscription.id,
      actor: auditActor(options.actor),
      action: "colleague_removed",
      detail: { tenantId: options.tenantId, userOid: options.userOid },
    });
  });
}
