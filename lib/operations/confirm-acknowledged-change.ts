import "server-only";
import { z } from "zod";
import { db } from "../db";
import { defineJob } from "../jobs/define-job";
import { enqueue } from "../jobs/enqueue";
import { reflectsAcceptedChange } from "../subscriptions/acknowledged-changes";
import { readSubscription } from "../subscriptions/read-subscription";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { pollDelayMs } from "./follow-operation";
import { recordAudit } from "../audit/record-audit";
import { lockSubscription } from "../subscriptions/lock-subscription";

const MAX_CHECKS = 14; // ~10 minutes with pollDelayMs, the confirmation window

/** Each check books the next one; one waiting check per operation. */
export const confirmAcknowledgedChangeJob = defineJob({
  name: "confirm-acknowledged-change",
  payload: z.object({ operationId: z.string(), check: z.number().int().positive().default(1) }),
  key: (payload) => payload.operationId,
  retry: { limit: 4, delaySeconds: 2, backoff: true },
  expireInSeconds: 60,
  run: (payload) => confirmAcknowledgedChange(payload),
});

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
    await enqueue(
      db(),
      confirmAcknowledgedChangeJob,
      { operationId: operation.id, check: options.check + 1 },
      { startAfter: new Date(Date.now() + pollDelayMs(options.check + 1)) },
    );
    return;
  }
  await db().$transaction(async (tx) => {
    await lockSubscription(tx, operation.subscriptionId);
    await tx.operation.update({ where: { id: operation.id }, data: { confirmUntil: null } });
    if (!shown) {
      const remote = snapshot.subscription;
      await recordAudit(tx, {
        subscriptionId: operation.subscriptionId,
        actor: { actorType: "system" },
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
