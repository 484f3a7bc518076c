import "server-only";
import { db } from "../db";
import { fetchPage } from "./paging";
import { subscriptionFilter, subscriptionOrder } from "./subscription-filter";
import { MAX_PAGE, PAGE_SIZE, type SubscriptionQuery } from "./subscription-query";

const listColumns = {
  id: true,
  name: true,
  status: true,
  marketplaceStatus: true,
  activatedBy: true,
  setupState: true,
  activatedAt: true,
  offerId: true,
  planId: true,
  quantity: true,
  isTest: true,
  isFreeTrial: true,
  beneficiaryEmail: true,
  beneficiaryTenantId: true,
  purchaserEmail: true,
  dataRetainedUntil: true,
  dataPurgedAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

/**
 * One page of the admin subscriptions list, searched, filtered and sorted in the database.
 * A page past the end shows the last page (a stale or edited link still lands somewhere useful).
 */
export async function listSubscriptions(query: SubscriptionQuery) {
  const where = subscriptionFilter(query);
  const result = await fetchPage({
    page: query.page,
    size: PAGE_SIZE,
    maxPage: MAX_PAGE,
    count: () => db().subscription.count({ where }),
    rows: (skip) =>
      db().subscription.findMany({
        where,
        orderBy: subscriptionOrder(query),
        skip,
        take: PAGE_SIZE,
        select: listColumns,
      }),
  });
  return { ...result, truncated: result.total > MAX_PAGE * PAGE_SIZE };
}

/** Offers and plans present, for the filter menus (served by the offerId+planId index). */
export async function listOfferPlans() {
  const groups = await db().subscription.groupBy({
    by: ["offerId", "planId"],
    orderBy: [{ offerId: "asc" }, { planId: "asc" }],
  });
  return groups.map((group) => ({ offerId: group.offerId, planId: group.planId }));
}
