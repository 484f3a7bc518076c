import "server-only";
import { marketplace, type Plan } from "../marketplace";

const TTL_MS = 5 * 60_000;
const cache = new Map<string, { plans: Plan[]; at: number }>();

/**
 * The plans this subscription may move to (listAvailablePlans, §6.5: only plans Microsoft allows
 * for it, including private ones), cached briefly: the account page loads them, and the change
 * request that follows validates against the same list without waiting on Microsoft again.
 */
export async function availablePlans(subscriptionId: string, options: { fresh?: boolean } = {}): Promise<Plan[]> {
  const cached = cache.get(subscriptionId);
  if (!options.fresh && cached && Date.now() - cached.at < TTL_MS) return cached.plans;
  const plans = await marketplace().listAvailablePlans(subscriptionId);
  cache.set(subscriptionId, { plans, at: Date.now() });
  return plans;
}

export function forgetAvailablePlans(subscriptionId: string) {
  cache.delete(subscriptionId);
}
