import "server-only";
import { db } from "../db";
import type { Subscription } from "../generated/prisma/client";
import type { AuditActor } from "../audit/record-audit";
import type { SubscriptionSnapshot } from "./read-subscription";
import { syncSubscription } from "./sync-subscription";
import { lockSubscription } from "./lock-subscription";

/**
 * Applies a read of Microsoft's subscription to an open activation, in one transaction: `Subscribed`
 * or `Suspended` closes it Succeeded, `Unsubscribed` Failed; anything else leaves it open (Microsoft
 * is still processing it, marketplace-contract.md §6.2), unless `failIfPending` gives up with that
 * message. The subscription is synced from the read either way. Conditional on the operation still
 * being open, so of two settlers (the buyer's request, the follow-up job) one closes it.
 */
export async function applyActivationRead(options: {
  operationId: string;
  snapshot: SubscriptionSnapshot;
  actor: AuditActor;
  reason: string;
  failIfPending?: string;
}): Promise<{ row: Subscription; settled: boolean }> {
  const status = options.snapshot.subscription.saasSubscriptionStatus;
  const result =
    status === "Subscribed" || status === "Suspended"
      ? { status: "Succeeded" as const, errorMessage: null }
      : status === "Unsubscribed"
        ? { status: "Failed" as const, errorMessage: "Microsoft cancelled the subscription instead of activating it." }
        : options.failIfPending
          ? { status: "Failed" as const, errorMessage: options.failIfPending }
          : undefined;
  return db().$transaction(async (tx) => {
    await lockSubscription(tx, options.snapshot.subscription.id);
    if (result)
      await tx.operation.updateMany({
        where: { id: options.operationId, status: "InProgress" },
        data: { ...result, completedAt: new Date() },
      });
    const row = await syncSubscription(tx, {
      snapshot: options.snapshot,
      actor: options.actor,
      reason: options.reason,
      transitionAction: "activated",
    });
    return { row, settled: result !== undefined };
  });
}
