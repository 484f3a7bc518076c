import "server-only";
import type { Prisma, SubscriptionStatus } from "../generated/prisma/client";
import { canTransition } from "./state-machine";
import { recordAudit, type AuditAction, type AuditActor } from "../audit/record-audit";
import { announceSubscriptionChange } from "./subscription-events";
import { lockSubscription } from "./lock-subscription";

/**
 * Moves a subscription from one status to another inside the caller's transaction, with its audit
 * row. The update is conditional on the expected current status, so concurrent callers (a
 * double-click, a webhook racing a poll) produce exactly one transition; the loser gets false.
 * The events the transition means (activated, suspended, …) are written with it.
 */
export async function transitionSubscription(
  tx: Prisma.TransactionClient,
  options: {
    subscriptionId: string;
    from: SubscriptionStatus;
    to: SubscriptionStatus;
    action: AuditAction;
    actor: AuditActor;
    data?: Prisma.SubscriptionUpdateManyMutationInput;
    detail?: Prisma.InputJsonValue;
  },
): Promise<boolean> {
  if (!canTransition(options.from, options.to)) {
    throw new Error(
      `Transition ${options.from} → ${options.to} is not allowed (subscription ${options.subscriptionId})`,
    );
  }
  await lockSubscription(tx, options.subscriptionId);
  const before = await tx.subscription.findUnique({ where: { id: options.subscriptionId } });
  const [after] = await tx.subscription.updateManyAndReturn({
    where: { id: options.subscriptionId, status: options.from },
    data: { ...options.data, status: options.to },
  });
  if (!before || !after) return false;
  await recordAudit(tx, {
    subscriptionId: options.subscriptionId,
    actor: options.actor,
    action: options.action,
    fromStatus: options.from,
    toStatus: options.to,
    detail: options.detail,
  });
  await announceSubscriptionChange(tx, before, after);
  return true;
}
