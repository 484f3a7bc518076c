import "server-only";
import { z } from "zod";
import { db } from "../db";
import type { Operation } from "../generated/prisma/client";
import { defineJob } from "../jobs/define-job";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import type { SubscriptionSnapshot } from "../subscriptions/read-subscription";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { adoptMarketplaceOperation } from "./adopt-marketplace-operation";
import { findSubmittedChange } from "./find-submitted-change";
import { pollDelayMs } from "./follow-operation";
import { notifyChangeFailed } from "../notifications/notify-change-failed";
import { recordAudit } from "../audit/record-audit";
import { lockSubscription } from "../subscriptions/lock-subscription";

/** Checks at ~2, 4, 8, 16, 32, 60 and 60 s: Microsoft may record a change a little after our call ended. */
const MAX_CHECKS = 7;

/** After a PATCH/DELETE whose answer we did not get: ask Microsoft (soon, then with backoff) instead of resending. */
export async function confirmAfterUnknownOutcome(operation: Pick<Operation, "id">): Promise<void> {
  await enqueue(
    db(),
    confirmSubmittedChangeJob,
    { operationId: operation.id, check: 1 },
    { startAfter: new Date(Date.now() + pollDelayMs(1)) },
  );
  wakeWorkers();
}

/** Each check books the next one; one waiting check per operation. */
export const confirmSubmittedChangeJob = defineJob({
  name: "confirm-submitted-change",
  payload: z.object({ operationId: z.string(), check: z.number().int().positive().default(1) }),
  key: (payload) => payload.operationId,
  retry: { limit: 4, delaySeconds: 2, backoff: true },
  expireInSeconds: 60,
  run: (payload) => confirmSubmittedChange(payload),
});

/**
 * One check of a change that may have reached Microsoft: adopt Microsoft's operation when there
 * is one, settle it when Microsoft's subscription already shows it, else look again later. After
 * the last check with no trace at Microsoft, the change ends Failed — safe, because a change
 * Microsoft does make later still arrives as its webhook (and reconciliation), and the customer can
 * ask again: nothing is ever sent twice.
 */
export async function confirmSubmittedChange(options: { operationId: string; check: number }): Promise<void> {
  const operation = await db().operation.findUnique({ where: { id: options.operationId } });
  if (!operation || operation.status !== "Requested" || !operation.submittedAt) return;
  const last = options.check >= MAX_CHECKS;
  const settled = await settleSubmittedChange(operation, { giveUp: last });
  if (settled || last) return;
  await enqueue(
    db(),
    confirmSubmittedChangeJob,
    { operationId: operation.id, check: options.check + 1 },
    { startAfter: new Date(Date.now() + pollDelayMs(options.check + 1)) },
  );
}

/** Asks Microsoft once; returns true when the operation was adopted or settled. */
export async function settleSubmittedChange(operation: Operation, options: { giveUp: boolean }): Promise<boolean> {
  const found = await findSubmittedChange(operation);
  if (found.found === "operation") {
    await adoptMarketplaceOperation(operation, found.operation.id);
    return true;
  }
  if (found.found === "applied") {
    await settleRequestedAsApplied(operation, found.snapshot, "Microsoft's subscription shows this change.");
    return true;
  }
  if (options.giveUp) {
    await failRequestedChange(
      operation,
      "We could not confirm this change with Microsoft, and Microsoft shows no trace of it.",
    );
    return true;
  }
  return false;
}

/** A requested change Microsoft's subscription already shows: Succeeded, with Microsoft's state stored. */
export async function settleRequestedAsApplied(
  operation: Operation,
  snapshot: SubscriptionSnapshot,
  reason: string,
): Promise<void> {
  await db().$transaction(async (tx) => {
    await lockSubscription(tx, operation.subscriptionId);
    const updated = await tx.operation.updateMany({
      where: { id: operation.id, status: "Requested" },
      data: { status: "Succeeded", completedAt: new Date(), errorMessage: null },
    });
    if (updated.count === 0) return;
    await syncSubscription(tx, {
      snapshot,
      actor: { actorType: "system" },
      reason: `operation ${operation.action} confirmed`,
    });
    await recordAudit(tx, {
      subscriptionId: operation.subscriptionId,
      actor: { actorType: "system" },
      action: "change_completed",
      detail: { operationId: operation.id, action: operation.action, status: "Succeeded", reason },
    });
  });
}

/** Ends a requested change that Microsoft refused or never received, with a reason the customer can act on. */
export async function failRequestedChange(
  operation: Pick<Operation, "id" | "subscriptionId" | "action">,
  reason: string,
): Promise<void> {
  await db().$transaction(async (tx) => {
    const updated = await tx.operation.updateMany({
      where: { id: operation.id, status: "Requested" },
      data: { status: "Failed", errorMessage: reason, completedAt: new Date() },
    });
    if (updated.count === 0) return;
    await recordAudit(tx, {
      subscriptionId: operation.subscriptionId,
      actor: { actorType: "system" },
      action: "change_failed",
      detail: { operationId: operation.id, action: operation.action, reason },
    });
    await notifyChangeFailed(tx, { operationId: operation.id, reason });
  });
}
