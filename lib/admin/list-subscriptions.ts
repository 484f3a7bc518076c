import "server-only";
import { db } from "../db";
import { subscriptionFilter, subscriptionOrder } from "./subscription-filter";
import { MAX_PAGE, PAGE_SIZE, type SubscriptionQuery } from "./subscription-query";

export const listColumns = {
  id: true, name: true, status: true, offerId: true, planId: true, quantity: true, isTest: true, isFreeTrial: true,
  beneficiaryEmail: true, beneficiaryTenantId: true, purchaserEmail: true, createdAt: true, updatedAt: true,
} as const;

/**
 * One page of the admin subscriptions list, searched, filtered and sorted in the database.
 * A page past the end shows the last page (a stale or edited link still lands somewhere useful).
 */
export async function listSubscriptions(query: SubscriptionQuery) {
  const where = subscriptionFilter(query);
  const total = await db().subscription.count({ where });
  const lastPage = Math.max(1, Math.min(MAX_PAGE, Math.ceil(total / PAGE_SIZE)));
  const page = Math.min(query.page, lastPage);
  const rows = await db().subscription.findMany({ where, orderBy: subscriptionOrder(query), skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE, select: listColumns });
  return { rows, total, page, lastPage, truncated: total > MAX_PAGE * PAGE_SIZE };
}

/** Offers and plans present, for the filter menus (served by the offerId+planId index). */
export async function listOfferPlans() {
  const groups = await db().subscription.groupBy({ by: ["offerId", "planId"], orderBy: [{ offerId: "asc" }, { planId: "asc" }] });
  return groups.map((group) => ({ offerId: group.offerId, planId: group.planId }));
}
