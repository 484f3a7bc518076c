/**
 * "Send again" from the console: a notification (failed, skipped, or sent and lost by its
 * recipient) is queued again with a fresh attempt cycle, audited. Its content is written again
 * from what it carries, in its language, with today's links. A colleague's invitation whose link
 * was erased (it is kept only until its mail is sent) cannot be sent again: a new invitation is.
 */
import "server-only";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError } from "../errors";
import { wakeWorkers } from "../jobs/wake";
import { scheduleSend } from "./send-notification";

export async function resendNotification(options: { notificationId: string; actor: Pick<Actor, "tid" | "oid"> }) {
  await db().$transaction(async (tx) => {
    const row = await tx.notification.findUnique({
      where: { id: options.notificationId },
      select: { id: true, status: true, kind: true, sealedLink: true, subscriptionId: true },
    });
    if (!row) throw new AppError("invalid_input", { reason: "notificationUnknown" });
    if (row.status === "queued") throw new AppError("invalid_input", { reason: "notificationQueued" });
    if (row.kind === "colleague_invitation" && !row.sealedLink)
      throw new AppError("invalid_input", { reason: "notificationInvitationGone" });
    const now = new Date();
    const restarted = await tx.notification.updateMany({
      where: { id: row.id, status: row.status },
      data: {
        status: "queued",
        attempts: 0,
        cycleStartedAt: now,
        notBefore: now,
        nextAttemptAt: null,
        lastError: null,
      },
    });
    if (restarted.count === 0) throw new AppError("invalid_input", { reason: "notificationChanged" });
    await scheduleSend(tx, row.id);
    await recordAudit(tx, {
      subscriptionId: row.subscriptionId,
      actor: { actorType: "user", actorTid: options.actor.tid, actorOid: options.actor.oid },
      action: "notification_resent",
      detail: { notificationId: row.id, kind: row.kind, previousStatus: row.status },
    });
  });
  wakeWorkers();
}
