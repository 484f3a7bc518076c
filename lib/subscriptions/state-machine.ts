/**
 * The subscription state machine (marketplace-contract.md §4.1–4.2): every allowed status change in
 * one table. `Unsubscribed` is terminal: a cancelled subscription never comes back.
 */
import type { SubscriptionStatus } from "../generated/prisma/enums";

export const allowedTransitions: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = {
  NotStarted: ["PendingFulfillmentStart", "Subscribed", "Unsubscribed"],
  PendingFulfillmentStart: ["Subscribed", "Unsubscribed"],
  Subscribed: ["Suspended", "Unsubscribed"],
  Suspended: ["Subscribed", "Unsubscribed"],
  Unsubscribed: [],
};

export function canTransition(from: SubscriptionStatus, to: SubscriptionStatus): boolean {
  return allowedTransitions[from].includes(to);
}
