import "server-only";
import type { Prisma, Subscription } from "../generated/prisma/client";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";
import { announceSubscriptionChange } from "./subscription-events";
import { lockSubscription } from "./lock-subscription";

/**
 * Writes a plan or seat change the publisher accepted (a ChangePlan/ChangeQuantity webhook) to our
 * row, with its audit row, before Microsoft's subscription shows it. A plan change that also moves
 * the seats (a per-seat plan's minimum, say) records both, and announces it (subscription-events.ts).
 */
export async function applyAcceptedChange(
  tx: Prisma.TransactionClient,
  options: {
    subscription: Subscription;
    change: { kind: "plan"; planId: string; quantity: number | null } | { kind: "quantity"; quantity: number | null };
    actor: AuditActor;
    detail: { operationId: string; source: string | null };
  },
): Promise<void> {
  const { subscription, change } = options;
  const quantity = change.quantity ?? subscription.quantity;
  await lockSubscription(tx, subscription.id);
  const before = await tx.subscription.findUniqueOrThrow({ where: { id: subscription.id } });
  const after = await tx.subscription.update({
    where: { id: subscription.id },
    data: change.kind === "plan" ? { planId: change.planId, quantity } : { quantity },
  });
  await recordAudit(tx, {
    subscriptionId: subscription.id,
    actor: options.actor,
    action: change.kind === "plan" ? "plan_changed" : "quantity_changed",
    detail:
      change.kind === "plan"
        ? {
            from: subscription.planId,
            to: change.planId,
            ...(quantity !== subscription.quantity ? { seats: { from: subscription.quantity, to: quantity } } : {}),
            ...options.detail,
          }
        : { from: subscription.quantity, to: quantity, ...options.detail },
  });
  await announceSubscriptionChange(tx, before, after);
}
