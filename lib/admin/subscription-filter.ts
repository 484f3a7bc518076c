import "server-only";
import type { Prisma } from "../generated/prisma/client";
import type { SubscriptionQuery } from "./subscription-query";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** LIKE wildcards in the operator's text are literal characters, not patterns. */
function literal(text: string) {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/**
 * The WHERE clause for the list and the export (Prisma binds every value as a parameter). A whole
 * GUID is matched exactly on the id and tenant columns, which are indexed; other text is a
 * case-insensitive substring search over id, name, emails, tenants, offer and plan: one LIKE on
 * searchText, the lower-case column the database keeps of them, which a trigram index serves
 * (docs/decisions/0018).
 */
export function subscriptionFilter(query: SubscriptionQuery): Prisma.SubscriptionWhereInput {
  const and: Prisma.SubscriptionWhereInput[] = [];
  if (query.q) {
    if (GUID.test(query.q)) {
      const id = query.q.toLowerCase();
      and.push({ OR: [{ id }, { beneficiaryTenantId: id }, { purchaserTenantId: id }, { ownerTenantId: id }] });
    } else {
      and.push({ searchText: { contains: literal(query.q), mode: "insensitive" } });
    }
  }
  if (query.status) and.push({ status: query.status });
  if (query.offer) and.push({ offerId: query.offer });
  if (query.plan) and.push({ planId: query.plan });
  if (query.test) and.push({ isTest: query.test === "yes" });
  if (query.trial) and.push({ isFreeTrial: query.trial === "yes" });
  if (query.setup) and.push({ setupState: query.setup });
  return and.length > 0 ? { AND: and } : {};
}

const SORT_COLUMNS = {
  created: "createdAt",
  updated: "updatedAt",
  name: "name",
  status: "status",
  offer: "offerId",
  plan: "planId",
} as const;

/** The order, with the id as a tie-breaker so pages never overlap or skip rows. */
export function subscriptionOrder(query: SubscriptionQuery): Prisma.SubscriptionOrderByWithRelationInput[] {
  return [{ [SORT_COLUMNS[query.sort]]: query.dir }, { id: query.dir }];
}
