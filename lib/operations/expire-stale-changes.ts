import "server-only";
import { db } from "../db";
import { reconciliationEnv } from "../env";
import { logger } from "../logger";
import { settleSubmittedChange } from "./confirm-submitted-change";
import { notifyChangeFailed } from "../notifications/notify-change-failed";
import { recordAudit } from "../audit/record-audit";

/**
 * No customer stays locked out of self-service by a change that never got anywhere (one pending
 * change at a time, pending-change.ts):
 * - a change still `Requested` and never sent after CHANGE_REQUEST_TIMEOUT_MINUTES (workers
 *   down, its job gave up) ends Failed — it never reached Microsoft, so nothing changed;
 * - with `askMicrosoft` (reconciliation), a change sent without a known outcome for that long is
 *   settled from what Microsoft shows (adopted, applied, or Failed when there is no trace).
 * Returns how many changes were settled.
 */
export async function expireStaleChanges(
  options: { subscriptionId?: string; askMicrosoft?: boolean; now?: Date } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - reconciliationEnv().CHANGE_REQUEST_TIMEOUT_MINUTES * 60_000);
  const scope = options.subscriptionId ? { subscriptionId: options.subscriptionId } : {};
  let settled = 0;

  const neverSent = await db().operation.findMany({
    where: { ...scope, status: "Requested", submittedAt: null, createdAt: { lt: cutoff } },
    take: 500,
  });
  for (const operation of neverSent) {
    const reason = "This change was not sent to Microsoft in time.";
    const expired = await db().$transaction(async (tx) => {
      // Conditional on submittedAt still null: a sender that claimed it meanwhile wins.
      const updated = await tx.operation.updateMany({
        where: { id: operation.id, status: "Requested", submittedAt: null },
        data: { status: "Failed", errorMessage: reason, completedAt: now },
      });
      if (updated.count === 0) return false;
      await recordAudit(tx, {
        subscriptionId: operation.subscriptionId,
        actor: { actorType: "system" },
        action: "change_failed",
        detail: { operationId: operation.id, action: operation.action, reason: "expired before it was sent" },
      });
      await notifyChangeFailed(tx, { operationId: operation.id, reason });
      return true;
    });
    if (expired) settled += 1;
  }

  if (options.askMicrosoft) {
    const unknown = await db().operation.findMany({
      where: { ...scope, status: "Requested", submittedAt: { lt: cutoff } },
      take: 200,
    });
    for (const operation of unknown) {
      try {
        if (await settleSubmittedChange(operation, { giveUp: true })) settled += 1;
      } catch (error) {
        logger.warn("could not settle a change with an unknown outcome; the next run tries again", {
          operationId: operation.id,
          error,
        });
      }
    }
  }
  return settled;
}
