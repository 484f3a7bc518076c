import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { portalEnv } from "../env";
import { AppError } from "../errors";
import { wakeWorkers } from "../jobs/wake";
import { mailConfigured } from "../notifications/alert-routes";
import { addressProblem } from "../notifications/mail-text";
import { notifyColleagueInvited } from "../notifications/notify-colleague-invited";
import { hashInviteToken, INVITE_VALIDITY_DAYS, invitationUrl, newInviteToken } from "./invite-token";
import { auditActor, requirePeopleManager } from "./require-people-manager";
import { recordAudit } from "../audit/record-audit";

const MAX_OPEN_INVITES = 20;

/**
 * A new single-use invitation link to a subscription (docs/decisions/0003), created by a party or
 * a tenant admin. The secret is returned once and never stored — except, sealed until it is sent,
 * in the mail to the colleague when an address is given (`emailTo`, lib/notifications).
 */
export async function createInvite(options: { subscriptionId: string; actor: Actor; now?: Date; emailTo?: string }) {
  const emailTo = options.emailTo?.trim() || undefined;
  if (emailTo) {
    const problem = addressProblem(emailTo);
    if (problem) throw new AppError("invalid_input", { message: problem, fieldErrors: { emailTo: [problem] } });
    if (!mailConfigured())
      throw new AppError("invalid_input", {
        message: "This portal does not send email: leave the address empty and pass the link on yourself.",
        fieldErrors: { emailTo: ["This portal does not send email."] },
      });
  }
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
      detail: { inviteId: created.id, expiresAt: expiresAt.toISOString(), emailed: Boolean(emailTo) },
    });
    if (emailTo)
      await notifyColleagueInvited(tx, {
        subscription,
        inviteId: created.id,
        address: emailTo,
        link: invitationUrl(token, portalEnv().PUBLIC_BASE_URL),
        expiresAt,
        inviter: options.actor,
      });
    return created;
  });
  if (emailTo) wakeWorkers();
  return { inviteId: invite.id, token, expiresAt, emailedTo: emailTo ?? null };
}
