import "server-only";
import { db, Prisma } from "../db";
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

/** Rows that can be paged through; the count stops one past them (“more than 10,000”). */
const PAGEABLE = MAX_PAGE * PAGE_SIZE;

/**
 * One page of the admin subscriptions list, searched, filtered and sorted in the database.
 * A page past the end shows the last page (a stale or edited link still lands somewhere useful).
 * The count stops after 10,001 matches: past what can be paged, an exact number costs a scan of
 * every match and tells the operator nothing more (`truncated`: more than 10,000).
 */
export async function listSubscriptions(query: SubscriptionQuery) {
  const where = subscriptionFilter(query);
  const result = await fetchPage({
    page: query.page,
    size: PAGE_SIZE,
    maxPage: MAX_PAGE,
    count: () => db().subscription.count({ where, take: PAGEABLE + 1 }),
    rows: (skip) =>
      db().subscription.findMany({
        where,
        orderBy: subscriptionOrder(query),
        skip,
        take: PAGE_SIZE,
        select: listColumns,
      }),
  });
  return { ...result, truncated: result.total > PAGEABLE };
}

/**
 * Offers and plans present, for the filter menus: the distinct pairs read by skipping through the
 * offerId+planId index, one probe per pair (a GROUP BY read all 100k rows on every page view).
 */
export async function listOfferPlans(): Promise<Array<{ offerId: string; planId: string }>> {
  return db().$queryRaw(Prisma.sql`
    WITH RECURSIVE pairs AS (
      (SELECT "offerId", "planId" FROM "Subscription" ORDER BY "offerId", "planId" LIMIT 1)
      UNION ALL
      SELECT next."offerId", next."planId" FROM pairs, LATERAL (
        SELECT "offerId", "planId" FROM "Subscription"
        WHERE ("offerId", "planId") > (pairs."offerId", pairs."planId")
        ORDER BY "offerId", "planId" LIMIT 1
      ) AS next
    )
    SELECT "offerId", "planId" FROM pairs`);
}
