/**
 * Claims up to 25 closed hours for one Metering API call and marks them `submitting` in the same
 * statement, *before* the call: a crash after the call leaves them `submitting`, and once their
 * lease runs out they are sent again — Microsoft answers Duplicate for an hour it already has,
 * which counts as billed, so an hour is never billed twice. `FOR UPDATE SKIP LOCKED` lets several
 * workers claim side by side. Oldest hours first: they are closest to Microsoft's 24-hour limit.
 */
import "server-only";
import { db, type PrismaClient } from "../db";
import type { ClaimedHour } from "./classify-usage-result";

/**
 * How long a claimed hour belongs to the call that claimed it. The call is held to it: it is sent
 * with a deadline SUBMIT_LEASE_MARGIN_MS before the lease ends (its attempts and retries cut to
 * fit, lib/marketplace/http.ts), so no call is still in flight when another worker may take over.
 */
export const SUBMIT_LEASE_MS = 2 * 60_000;
export const SUBMIT_LEASE_MARGIN_MS = 15_000;

export interface ClaimOptions {
  /** The run's time: which hours are due, and (forced runs) which were already tried in this run. */
  now: Date;
  /** When this claim is made, on the run's clock (default `now`): the claimed hours' lease starts here. */
  claimedAt?: Date;
  /** Newest hourStart that may be sent (closed plus the delay). */
  closedUntil: Date;
  /** Hours that started at or before this are out of Microsoft's window (expired, not sent). */
  expiredBefore: Date;
  batchId: string;
  limit: number;
  /** Ignore retry backoff once (an admin's "submit now"); leases of in-flight calls are still honoured. */
  force?: boolean;
  client?: PrismaClient;
}

interface ClaimRow {
  id: bigint;
  subscriptionId: string;
  dimension: string;
  hourStart: Date | string;
  quantity: string;
  planId: string;
  attempts: number;
}

export async function claimUsageHours(options: ClaimOptions): Promise<ClaimedHour[]> {
  const client = options.client ?? db();
  const now = options.now.toISOString();
  const claimedAt = (options.claimedAt ?? options.now).toISOString();
  const leaseCutoff = new Date((options.claimedAt ?? options.now).getTime() - SUBMIT_LEASE_MS).toISOString();
  const rows = await client.$queryRaw<ClaimRow[]>`
    WITH picked AS (
      SELECT h.id, h."subscriptionId"
      FROM "UsageHour" h
      WHERE h."hourStart" <= ${options.closedUntil.toISOString()}::timestamptz
        AND h."hourStart" > ${options.expiredBefore.toISOString()}::timestamptz
        AND h.quantity > 0
        AND (
          (h.status IN ('pending', 'held') AND (h."nextAttemptAt" IS NULL OR h."nextAttemptAt" <= ${now}::timestamptz
            -- Forced: once per run (a run's rows carry its "now" as submittedAt), or an hour held back would loop.
            OR (${options.force ?? false}::boolean AND (h."submittedAt" IS NULL OR h."submittedAt" < ${now}::timestamptz))))
          OR (h.status = 'submitting' AND h."submittedAt" <= ${leaseCutoff}::timestamptz)
        )
      ORDER BY h."hourStart", h.id
      LIMIT ${options.limit}
      FOR UPDATE OF h SKIP LOCKED
    )
    UPDATE "UsageHour" AS h
    SET status = 'submitting', attempts = h.attempts + 1, "submittedAt" = ${claimedAt}::timestamptz,
        "submittedQuantity" = h.quantity, "batchId" = ${options.batchId}, "nextAttemptAt" = NULL,
        -- Microsoft wants the plan the customer has now (marketplace-contract.md §9.2), which webhooks keep current;
        -- but a re-send of a call whose outcome is unknown (its lease ran out) repeats that call as it was.
        "planId" = CASE WHEN h.status = 'submitting' THEN h."planId" ELSE COALESCE(s."planId", h."planId") END,
        "updatedAt" = ${claimedAt}::timestamptz
    FROM picked LEFT JOIN "Subscription" s ON s.id = picked."subscriptionId"
    WHERE h.id = picked.id
    RETURNING h.id, h."subscriptionId", h.dimension, h."hourStart", h.quantity::text AS quantity, h."planId", h.attempts`;
  return rows
    .map((row) => ({ ...row, id: BigInt(row.id), hourStart: new Date(row.hourStart), attempts: Number(row.attempts) }))
    .sort((a, b) => a.hourStart.getTime() - b.hourStart.getTime());
}
