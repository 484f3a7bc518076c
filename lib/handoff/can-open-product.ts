/**
 * When a buyer may be handed off into the product (docs/decisions/0014): the subscription is live
 * and its account set up. Pure; pages use it to show the button, the hand-off to refuse.
 */
import { needsSetup } from "../subscriptions/setup-state";

type Fields = { status: string; setupState: "pending" | "complete" };

export type ProductAccess = { allowed: true } | { allowed: false; reason: "setup_pending" | "not_active" };

export function productAccess(subscription: Fields): ProductAccess {
  if (needsSetup(subscription)) return { allowed: false, reason: "setup_pending" };
  if (subscription.status !== "Subscribed") return { allowed: false, reason: "not_active" };
  return { allowed: true };
}

export const canOpenProduct = (subscription: Fields) => productAccess(subscription).allowed;
