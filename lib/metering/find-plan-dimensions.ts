/**
 * The metering dimensions of a plan, from Microsoft (`listAvailablePlans`, marketplace-contract.md §6.5
 * `planComponents.meteringDimensions`), cached per offer and plan: dimensions lock when the offer
 * is published (§9.1), so a few minutes of cache cost nothing and spare a call per usage record.
 * When Microsoft cannot be reached, a stale entry is better than refusing usage.
 */
import "server-only";
import { marketplace } from "../marketplace";
import { logger } from "../logger";
import { meteringSettings } from "./metering-settings";

export interface MeteringDimension {
  id: string;
  displayName: string | null;
  unitOfMeasure: string | null;
}

interface CacheEntry {
  dimensions: MeteringDimension[];
  fetchedAt: number;
}

const globalForPlans = globalThis as typeof globalThis & {
  __planDimensions?: Map<string, CacheEntry>;
  __planDimensionsInFlight?: Map<string, Promise<MeteringDimension[]>>;
};
const cache = (globalForPlans.__planDimensions ??= new Map<string, CacheEntry>());
const inFlight = (globalForPlans.__planDimensionsInFlight ??= new Map<string, Promise<MeteringDimension[]>>());

/** `subscriptionId` is only the path Microsoft serves plans under; the cache key is offer + plan. */
export async function findPlanDimensions(options: {
  subscriptionId: string;
  offerId: string;
  planId: string;
}): Promise<MeteringDimension[]> {
  const key = `${options.offerId}/${options.planId}`;
  const cached = cache.get(key);
  if (cached && Date.now() - cached.fetchedAt < meteringSettings().planCacheSeconds * 1000) return cached.dimensions;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const request = fetchDimensions(options)
    .then((dimensions) => {
      cache.set(key, { dimensions, fetchedAt: Date.now() });
      return dimensions;
    })
    .catch((error: unknown) => {
      if (cached) {
        logger.warn("plan dimensions: using a stale copy, Microsoft could not be reached", {
          offerId: options.offerId,
          planId: options.planId,
          error,
        });
        return cached.dimensions;
      }
      throw error;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, request);
  return request;
}

async function fetchDimensions(options: { subscriptionId: string; planId: string }): Promise<MeteringDimension[]> {
  const plans = await marketplace().listAvailablePlans(options.subscriptionId, options.planId);
  const plan = plans.find((candidate) => candidate.planId === options.planId);
  return (plan?.planComponents?.meteringDimensions ?? []).map((d) => ({
    id: d.id,
    displayName: d.displayName ?? null,
    unitOfMeasure: d.unitOfMeasure ?? null,
  }));
}

/** Only the dimensions already known, without calling Microsoft (for pages). */
export function cachedPlanDimensions(offerId: string, planId: string): MeteringDimension[] | undefined {
  return cache.get(`${offerId}/${planId}`)?.dimensions;
}
