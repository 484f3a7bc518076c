import "server-only";
import type { Operation, Prisma, Subscription } from "../generated/prisma/client";
import type { MarketplaceSubscription } from "../marketplace";

/** How long an accepted change may take to show in Microsoft's subscription before Microsoft's values win anyway. */
export const CONFIRM_WINDOW_MS = 10 * 60_000;

/** The actions whose acceptance changes the subscription at Microsoft a moment later. */
export const CONFIRMED_ACTIONS = new Set(["ChangePlan", "ChangeQuantity", "Reinstate"]);

type Target = Pick<Operation, "action" | "requestedPlanId" | "requestedQuantity">;

/**
 * Microsoft's subscription shows the accepted change. A plan or seat change is shown by its values
 * only (Microsoft may still apply one after a cancellation); a reinstatement by the subscription
 * being Subscribed, or moved past it (cancelled).
 */
export function reflectsAcceptedChange(operation: Target, remote: MarketplaceSubscription): boolean {
  if (operation.action === "ChangePlan")
    return (
      remote.planId === operation.requestedPlanId &&
      (operation.requestedQuantity === null || remote.quantity === operation.requestedQuantity)
    );
  if (operation.action === "ChangeQuantity") return remote.quantity === operation.requestedQuantity;
  if (operation.action === "Reinstate")
    return remote.saasSubscriptionStatus === "Subscribed" || remote.saasSubscriptionStatus === "Unsubscribed";
  return true;
}

export interface HeldBack {
  planId?: string;
  quantity?: number | null;
  status?: Subscription["status"];
}

/**
 * Fields of our row that a snapshot must not overwrite: those of a change we accepted
 * (acknowledged Success) that Microsoft's subscription does not show yet. Microsoft applies an
 * accepted change a moment after the acknowledgement, so a read taken meanwhile still shows the
 * old plan, seats or status; it is not newer information. Changes the snapshot does show are
 * confirmed here (their window closes).
 */
export async function heldBackFields(
  tx: Prisma.TransactionClient,
  existing: Subscription,
  remote: MarketplaceSubscription,
  now: Date,
): Promise<HeldBack> {
  const awaiting = await tx.operation.findMany({
    where: { subscriptionId: existing.id, confirmUntil: { gt: now } },
    orderBy: { createdAt: "asc" },
  });
  const held: HeldBack = {};
  for (const operation of awaiting) {
    if (reflectsAcceptedChange(operation, remote)) {
      await tx.operation.update({ where: { id: operation.id }, data: { confirmUntil: null } });
      continue;
    }
    if (operation.action === "ChangePlan")
      Object.assign(held, { planId: existing.planId, quantity: existing.quantity });
    if (operation.action === "ChangeQuantity") held.quantity = existing.quantity;
    if (operation.action === "Reinstate" && existing.status === "Subscribed") held.status = existing.status;
  }
  return held;
}
