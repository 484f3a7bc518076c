import "server-only";
import { z } from "zod";
import { db } from "../db";
import { defineJob } from "../jobs/define-job";
import { enqueue } from "../jobs/enqueue";
import type { Operation } from "../generated/prisma/client";
import { isFinalOperationStatus, marketplace, type MarketplaceOperation } from "../marketplace";
import { readSubscription } from "../subscriptions/read-subscription";
import { PENDING_STATUSES } from "./pending-change";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { notifyChangeFailed } from "../notifications/notify-change-failed";
import { recordAudit } from "../audit/record-audit";
import { lockSubscription } from "../subscriptions/lock-subscription";

/** Each poll books the next one; one waiting poll per operation. */
export const followOperationJob = defineJob({
  name: "follow-operation",
  payload: z.object({ operationId: z.string(), poll: z.number().int().positive().default(1) }),
  key: (payload) => payload.operationId,
  retry: { limit: 4, delaySeconds: 2, backoff: true },
  expireInSeconds: 60,
  run: (payload) => followOperation(payload),
});
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
    await enqueue(
      db(),
      followOperationJob,
      { operationId: operation.id, poll: options.poll + 1 },
      { startAfter: new Date(Date.now() + pollDelayMs(options.poll + 1)) },
    );
    return;
  }
  await settleOperation(operation, { ...remote, status: remote.status });
}

/**
 * Closes our row for an operation Microsoft reports final (the poll above, and reconciliation's
 * re-check): its status and reason, the subscription re-read when it succeeded, and an audit row.
 */
export async function settleOperation(
  operation: Operation,
  remote: MarketplaceOperation & { status: "Succeeded" | "Failed" | "Conflict" },
): Promise<void> {
  const snapshot =
    remote.status === "Succeeded"
      ? await readSubscription(operation.subscriptionId, { correlationId: operation.id })
      : undefined;
  await db().$transaction(async (tx) => {
    await lockSubscription(tx, operation.subscriptionId);
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
      await recordAudit(tx, {
        subscriptionId: operation.subscriptionId,
        actor: { actorType: "system" },
        action: remote.status === "Succeeded" ? "change_completed" : "change_failed",
        detail: { operationId: operation.id, action: operation.action, status: remote.status },
      });
      if (remote.status !== "Succeeded")
        await notifyChangeFailed(tx, {
          operationId: operation.id,
          reason: remote.errorMessage || "Microsoft could not complete the change.",
        });
    }
  });
}
