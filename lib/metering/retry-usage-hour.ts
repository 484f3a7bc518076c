/**
 * An admin sends a failed or held hour again (e.g. after fixing the plan's dimensions in Partner
 * Center, or once a suspended subscription is reinstated), while Microsoft's window is open.
 * Its quantity stays as it was sent; the run is queued at once.
 */
import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { requestUsageSubmission } from "./submit-usage";
import { expiryCutoff } from "./usage-window";
import { recordAudit } from "../audit/record-audit";

export async function retryUsageHour(options: {
  hourId: bigint;
  actor: Pick<Actor, "tid" | "oid">;
  now?: Date;
}): Promise<boolean> {
  const now = options.now ?? new Date();
  const retried = await db().$transaction(async (tx) => {
    const hour = await tx.usageHour.findUnique({
      where: { id: options.hourId },
      select: { subscriptionId: true, dimension: true, hourStart: true, status: true, lastStatus: true },
    });
    if (!hour) return false;
    const { count } = await tx.usageHour.updateMany({
      where: { id: options.hourId, status: { in: ["failed", "held"] }, hourStart: { gt: expiryCutoff(now) } },
      data: { status: "pending", nextAttemptAt: null, resolvedAt: null },
    });
    if (count === 0) return false;
    await recordAudit(tx, {
      subscriptionId: hour.subscriptionId,
      actor: { actorType: "user", actorTid: options.actor.tid, actorOid: options.actor.oid },
      action: "usage_retry_requested",
      detail: {
        dimension: hour.dimension,
        hourStart: hour.hourStart.toISOString(),
        previousStatus: hour.status,
        marketplaceStatus: hour.lastStatus,
      },
    });
    return true;
  });
  if (retried) await requestUsageSubmission({ trigger: "manual" });
  return retried;
}
