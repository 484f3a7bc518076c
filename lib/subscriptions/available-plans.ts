import "server-only";
import { marketplace, type Plan } from "../marketplace";

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 5000;
// On globalThis: pages, server actions and the job worker are separate bundles in Next.js, and a
// change completed by the worker must clear the entry the pages read.
interface CachedPlans {
  plans: Plan[];
  at: number;
}
const holder = globalThis as typeof globalThis & { __availablePlans?: Map<string, CachedPlans> };
const cache = (holder.__availablePlans ??= new Map<string, CachedPlans>());

/**
 * The plans this subscription may move to (listAvailablePlans, marketplace-contract.md §6.5: only plans Microsoft allows
 * for it, including private ones), cached briefly: the account page loads them, and the change
 * request that follows validates against the same list without waiting on Microsoft again.
 */
export async function availablePlans(subscriptionId: string, options: { fresh?: boolean } = {}): Promise<Plan[]> {
  const cached = cache.get(subscriptionId);
  if (!options.fresh && cached && Date.now() - cached.at < TTL_MS) return cached.plans;
  const plans = await marketplace().listAvailablePlans(subscriptionId);
  cache.delete(subscriptionId); // re-insert: the map stays oldest-first
  cache.set(subscriptionId, { plans, at: Date.now() });
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return plans;
}

export function forgetAvailablePlans(subscriptionId: string) {
  cache.delete(subscriptionId);
}
