import "server-only";
import { db } from "../db";
import { enqueueJob } from "../jobs/enqueue-job";
import { reflectsAcceptedChange } from "../subscriptions/acknowledged-changes";
import { readSubscription } from "../subscriptions/read-subscription";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { pollDelayMs } from "./follow-operation";

export const CONFIRM_ACKNOWLEDGED_JOB = "confirm-acknowledged-change";
const MAX_CHECKS = 14; // ~10 minutes with pollDelayMs, the confirmation window

/**
 * Re-reads a subscription after we accepted a change until Microsoft's copy shows it, then stores
 * Microsoft's state. If Microsoft still does not show it when the window closes, Microsoft is the
 * truth: its values are stored and the gap is in the audit trail for a human.
 */
export async function confirmAcknowledgedChange(options: { operationId: string; check: number }): Promise<void> {
  const operation = await db().operation.findUnique({ where: { id: options.operationId } });
  if (!operation?.confirmUntil) return; // shown already, or superseded by a newer change
  const snapshot = await readSubscription(operation.subscriptionId, { correlationId: operation.id });
  const shown = reflectsAcceptedChange(operation, snapshot.subscription);
  const windowClosed = options.check >= MAX_CHECKS || operation.confirmUntil <= new Date();
  if (!shown && !windowClosed) {
    await enqueueJob(db(), {
      type: CONFIRM_ACKNOWLEDGED_JOB,
      payload: { operationId: operation.id, check: options.check + 1 },
      runAt: new Date(Date.now() + pollDelayMs(options.check + 1)),
      maxAttempts: 5,
    });
    return;
  }
  await db().$transaction(async (tx) => {
    await tx.operation.update({ where: { id: operation.id }, data: { confirmUntil: null } });
    if (!shown) {
      const remote = snapshot.subscription;
      await tx.auditEvent.create({
        data: {
          subscriptionId: operation.subscriptionId,
          actorType: "system",
          action: "accepted_change_not_shown",
          detail: {
            operationId: operation.id,
            action: operation.action,
            expected: { planId: operation.requestedPlanId, quantity: operation.requestedQuantity },
            microsoft: {
              planId: remote.planId,
              quantity: remote.quantity ?? null,
              status: remote.saasSubscriptionStatus,
            },
          },
        },
      });
    }
    await syncSubscription(tx, {
      snapshot,
      actor: { actorType: "system" },
      reason: shown
        ? `accepted ${operation.action} shown by Microsoft`
        : `accepted ${operation.action} not shown by Microsoft`,
    });
  });
}
