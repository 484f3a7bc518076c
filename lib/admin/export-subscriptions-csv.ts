import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { logger } from "../logger";
import { csvRow } from "./csv";
import { subscriptionFilter } from "./subscription-filter";
import type { SubscriptionQuery } from "./subscription-query";

const BATCH = 2000;

// The header row is the field names in English whatever the operator's language: the CSV is a
// machine format that spreadsheets and import scripts read by column name (README "Admin console").
const columns = [
  "id",
  "name",
  "status",
  "offerId",
  "planId",
  "quantity",
  "isTest",
  "isFreeTrial",
  "autoRenew",
  "beneficiaryTenantId",
  "beneficiaryEmail",
  "purchaserTenantId",
  "purchaserEmail",
  "termUnit",
  "termStartDate",
  "termEndDate",
  "activatedAt",
  "unsubscribedAt",
  "createdAt",
  "updatedAt",
  // Added with auto-activation (docs/decisions/0008): at the end, so existing imports keep their columns.
  "marketplaceStatus",
  "termChargeDuration",
  "activatedBy",
  "setupState",
  "setupCompletedAt",
  // Added with the retention purge (docs/decisions/0015): when a cancelled subscription's personal data goes, or went.
  "dataRetainedUntil",
  "dataPurgedAt",
] as const;

/**
 * Every subscription matching the list's filters as CSV, streamed in batches walked by keyset
 * (createdAt, id) so memory stays flat and deep rows cost the same as the first ones.
 *
 * The first batch is read before the stream is handed out, so a query that fails outright becomes
 * an error status instead of a 200 that stops. A later failure errors the stream, and Next.js
 * then cuts the connection: the download fails rather than ending as if the file were complete.
 */
export async function exportSubscriptionsCsv(
  query: SubscriptionQuery,
  options: { batchSize?: number } = {},
): Promise<ReadableStream<Uint8Array>> {
  const batchSize = options.batchSize ?? BATCH;
  const encoder = new TextEncoder();
  const where = subscriptionFilter(query);
  const select = Object.fromEntries(columns.map((column) => [column, true])) as Record<(typeof columns)[number], true>;
  const readBatch = (after?: { createdAt: Date; id: string }) => {
    const page: Prisma.SubscriptionWhereInput = after
      ? {
          AND: [
            where,
            { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] },
          ],
        }
      : where;
    return db().subscription.findMany({
      where: page,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: batchSize,
      select,
    });
  };

  let batch = await readBatch();
  let text = csvRow([...columns]);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      text += batch.map((row) => csvRow(columns.map((column) => row[column]))).join("");
      if (text) controller.enqueue(encoder.encode(text));
      text = "";
      sent += batch.length;
      if (batch.length < batchSize) {
        controller.close();
        return;
      }
      try {
        batch = await readBatch(batch[batch.length - 1]);
      } catch (error) {
        logger.error("CSV export failed part-way; the download is cut off so it cannot pass for complete", {
          rowsSent: sent,
          error,
        });
        controller.error(error);
      }
    },
  });
}
