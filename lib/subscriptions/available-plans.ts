import "server-only";
import { marketplace, type Plan } from "../marketplace";

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 5000;
// On globalThis: pages, server actions and route handlers are separate bundles in Next.js; one map per process.
interface CachedPlans {
  plans: Plan[];
  /** The subscription row's updatedAt when the list was asked for (ms). */
  version: number;
  at: number;
}
const holder = globalThis as typeof globalThis & { __availablePlans?: Map<string, CachedPlans> };
const cache = (holder.__availablePlans ??= new Map<string, CachedPlans>());

/**
 * The plans this subscription may move to (listAvailablePlans, marketplace-contract.md §6.5: only plans Microsoft allows
 * for it, including private ones), cached briefly: the account page loads them, and the change
 * review that follows uses the same list without waiting on Microsoft again.
 *
 * The list is cached for the subscription row as the caller read it: served only to a caller that
 * read the same row (same `updatedAt`). Whatever records a change of the subscription (a change
 * settled, a webhook accepted, reconciliation, a re-sync) writes the row, in whichever process
 * it runs (a worker, another web instance), so the next read of every process asks Microsoft
 * again. No clocks are compared: a list Microsoft answered while a change was being recorded is
 * kept under the row from before, and is not served after it.
 */
export async function availablePlans(
  subscription: { id: string; updatedAt: Date },
  options: { fresh?: boolean } = {},
): Promise<Plan[]> {
  const version = subscription.updatedAt.getTime();
  const cached = cache.get(subscription.id);
  if (!options.fresh && cached && cached.version === version && Date.now() - cached.at < TTL_MS) return cached.plans;
  const plans = await marketplace().listAvailablePlans(subscription.id);
  cache.delete(subscription.id); // re-insert: the map stays oldest-first
  cache.set(subscription.id, { plans, version, at: Date.now() });
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return plans;
}
