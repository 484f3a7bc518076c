import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { csvRow } from "./csv";
import { subscriptionFilter } from "./subscription-filter";
import type { SubscriptionQuery } from "./subscription-query";

const BATCH = 2000;

const columns = [
  "id", "name", "status", "offerId", "planId", "quantity", "isTest", "isFreeTrial", "autoRenew",
  "beneficiaryTenantId", "beneficiaryEmail", "purchaserTenantId", "purchaserEmail", "termUnit", "termStartDate", "termEndDate",
  "activatedAt", "unsubscribedAt", "createdAt", "updatedAt",
] as const;

/**
 * Every subscription matching the list's filters as CSV, streamed in batches walked by keyset
 * (createdAt, id) so memory stays flat and deep rows cost the same as the first ones.
 */
export function exportSubscriptionsCsv(query: SubscriptionQuery): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const where = subscriptionFilter(query);
  const select = Object.fromEntries(columns.map((column) => [column, true])) as Record<(typeof columns)[number], true>;
  let after: { createdAt: Date; id: string } | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvRow([...columns])));
      }
      const page: Prisma.SubscriptionWhereInput = after
        ? { AND: [where, { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] }
        : where;
      const rows = await db().subscription.findMany({ where: page, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: BATCH, select });
      if (rows.length > 0) {
        controller.enqueue(encoder.encode(rows.map((row) => csvRow(columns.map((column) => row[column]))).join("")));
        const last = rows[rows.length - 1]!;
        after = { createdAt: last.createdAt, id: last.id };
      }
      if (rows.length < BATCH) controller.close();
    },
  });
}
