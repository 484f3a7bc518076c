import "server-only";
import { db } from "../db";
import { enqueueJob } from "../jobs/enqueue-job";
import type { Operation } from "../generated/prisma/client";
import { isFinalOperationStatus, marketplace, type MarketplaceOperation } from "../marketplace";
import { readSubscription } from "../subscriptions/read-subscription";
import { forgetAvailablePlans } from "../subscriptions/available-plans";
import { PENDING_STATUSES } from "./pending-change";
import { syncSubscription } from "../subscriptions/sync-subscription";

export const FOLLOW_OPERATION_JOB = "follow-operation";
const MAX_POLLS = 40; // ~15 minutes with the backoff below; reconciliation re-checks after that

/** Seconds before poll n: 2, 4, 8, … capped at 60 (marketplace-contract.md §7.5: every few seconds, backing off). */
export function pollDelayMs(poll: number): number {
  return Math.min(60_000, 2000 * 2 ** Math.max(0, poll - 1));
}

/**
 * Follows a customer's operation at Microsoft (Get Operation) until it succeeds, fails or
 * conflicts. The webhook usually arrives first; both paths converge on the same row, and the
 * subscription itself is always re-read from Microsoft rather than guessed.
 */
export async function followOperation(options: { operationId: string; poll: number }): Promise<void> {
  const operation = await db().operation.findUnique({ where: { id: options.operationId } });
  if (!operation?.marketplaceOperationId) return;
  const remote = await marketplace().getOperation(operation.subscriptionId, operation.marketplaceOperationId, {
    correlationId: operation.id,
  });

  // NotStarted, InProgress, or a status Microsoft added since: not final yet.
  if (!isFinalOperationStatus(remote.status)) {
    if (options.poll >= MAX_POLLS) return; // reconciliation picks it up from here
    await enqueueJob(db(), {
      type: FOLLOW_OPERATION_JOB,
      payload: { operationId: operation.id, poll: options.poll + 1 },
      runAt: new Date(Date.now() + pollDelayMs(options.poll + 1)),
      maxAttempts: 5,
    });
    return;
  }
  await settleOperation(operation, remote);
}

/**
 * Closes our row for an operation Microsoft reports final (the poll above, and reconciliation's
 * re-check): its status and reason, the subscription re-read when it succeeded, and an audit row.
 */
export async function settleOperation(operation: Operation, remote: MarketplaceOperation): Promise<void> {
  const snapshot =
    remote.status === "Succeeded"
      ? await readSubscription(operation.subscriptionId, { correlationId: operation.id })
      : undefined;
  await db().$transaction(async (tx) => {
    const wasOpen = PENDING_STATUSES.includes(operation.status);
    await tx.operation.update({
      where: { id: operation.id },
      data: {
        status: remote.status,
        completedAt: operation.completedAt ?? new Date(),
        errorMessage:
          remote.status === "Succeeded"
            ? null
            : remote.errorMessage ||
              (remote.status === "Conflict"
                ? "Microsoft reported a conflict: the subscription already has this plan or seat count, or another change won."
                : "Microsoft could not complete the change."),
      },
    });
    if (snapshot)
      await syncSubscription(tx, {
        snapshot,
        actor: { actorType: "system" },
        reason: `operation ${operation.action} ${remote.status}`,
      });
    if (wasOpen) {
      await tx.auditEvent.create({
        data: {
          subscriptionId: operation.subscriptionId,
          actorType: "system",
          action: remote.status === "Succeeded" ? "change_completed" : "change_failed",
          detail: { operationId: operation.id, action: operation.action, status: remote.status },
        },
      });
    }
  });
  forgetAvailablePlans(operation.subscriptionId);
}
