/**
 * Folds raw records of closed hours into their UsageHour rows (one per subscription, dimension
 * and hour). An hour that was already sent is never changed: Microsoft bills one event per hour,
 * so usage that arrives after its hour went out rolls into the next hour not yet sent
 * (marketplace-contract.md §9.7) — each record keeps a link to the hour it was billed in.
 */
import "server-only";
import { db, type PrismaClient } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { lastSubmittableHour, HOUR_MS } from "./usage-window";
import { hourKey, sumUsageByHour, type HourTotal, type LedgerRecord } from "./sum-usage-by-hour";

/** Records folded per transaction (bounded so a backlog does not hold locks for long). */
const RECORDS_PER_PASS = 5000;
/** Serializes aggregation across workers and instances (the rollover search reads then writes). */
const AGGREGATION_LOCK = 0x5553_4147; // "USAG"
/** A rolled-over record looks this many hours ahead for an hour not yet sent. */
const MAX_ROLLOVER_HOURS = 48;

type Tx = Prisma.TransactionClient;

export interface AggregationResult {
  records: number;
  hours: number;
  rolledOver: number;
}

export async function aggregateUsage(options: {
  now?: Date;
  delayMinutes: number;
  client?: PrismaClient;
}): Promise<AggregationResult> {
  const client = options.client ?? db();
  const closedUntil = lastSubmittableHour(options.now ?? new Date(), options.delayMinutes);
  const result: AggregationResult = { records: 0, hours: 0, rolledOver: 0 };
  for (;;) {
    const pass = await client.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AGGREGATION_LOCK})`;
        const records = await tx.$queryRaw<LedgerRecord[]>`
        SELECT id, "subscriptionId", dimension, "hourStart", quantity::text AS quantity, "planId"
        FROM "UsageRecord"
        WHERE "usageHourId" IS NULL AND "hourStart" <= ${closedUntil.toISOString()}::timestamptz
        ORDER BY id
        LIMIT ${RECORDS_PER_PASS}`;
        if (records.length === 0) return null;
        // Drivers differ in how they hand back int8 and timestamptz from raw queries.
        const normalized = records.map((r) => ({ ...r, id: BigInt(r.id), hourStart: new Date(r.hourStart) }));
        return { count: records.length, ...(await foldRecords(tx, normalized)) };
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
    if (!pass) return result;
    result.records += pass.count;
    result.hours += pass.hours;
    result.rolledOver += pass.rolledOver;
    if (pass.count < RECORDS_PER_PASS) return result;
  }
}

async function foldRecords(tx: Tx, records: LedgerRecord[]) {
  const totals = sumUsageByHour(records);
  const placed = await upsertPendingHours(tx, totals);
  const links: Array<{ record: string; hour: string }> = [];
  let rolledOver = 0;
  for (const total of totals) {
    let hourId = placed.get(hourKey(total.subscriptionId, total.dimension, total.hourStart));
    if (hourId === undefined) {
      hourId = await rollOver(tx, total);
      rolledOver += total.recordIds.length;
    }
    for (const record of total.recordIds) links.push({ record: record.toString(), hour: hourId.toString() });
  }
  await tx.$executeRaw`
    UPDATE "UsageRecord" AS r SET "usageHourId" = l.hour
    FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb) AS l(record bigint, hour bigint)
    WHERE r.id = l.record`;
  return { hours: totals.length, rolledOver };
}

/**
 * Adds each total to its hour while nothing of it was ever sent (`pending` or `skipped` with no
 * attempt); creates missing hours. Any other hour is left alone and not returned — once an event
 * may have reached Microsoft its quantity is frozen, or a retry answered Duplicate would hide the
 * added usage. ON CONFLICT locks the row and re-checks the WHERE on its newest version, so a
 * concurrent claim wins cleanly.
 */
async function upsertPendingHours(tx: Tx, totals: HourTotal[]): Promise<Map<string, bigint>> {
  const rows = totals.map((t) => ({
    subscriptionId: t.subscriptionId,
    dimension: t.dimension,
    hourStart: t.hourStart.toISOString(),
    planId: t.planId,
    quantity: t.quantity,
  }));
  const returned = await tx.$queryRaw<
    Array<{ id: bigint; subscriptionId: string; dimension: string; hourStart: Date }>
  >`
    INSERT INTO "UsageHour" ("subscriptionId", dimension, "hourStart", "planId", quantity)
    SELECT "subscriptionId", dimension, "hourStart", "planId", quantity
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS t("subscriptionId" text, dimension text, "hourStart" timestamptz, "planId" text, quantity numeric)
    ON CONFLICT ("subscriptionId", dimension, "hourStart") DO UPDATE
      SET quantity = "UsageHour".quantity + EXCLUDED.quantity, "planId" = EXCLUDED."planId", status = 'pending', "resolvedAt" = NULL, "updatedAt" = now()
      WHERE "UsageHour".status IN ('pending', 'skipped') AND "UsageHour".attempts = 0
    RETURNING id, "subscriptionId", dimension, "hourStart"`;
  return new Map(
    returned.map((row) => [hourKey(row.subscriptionId, row.dimension, new Date(row.hourStart)), BigInt(row.id)]),
  );
}

async function rollOver(tx: Tx, total: HourTotal): Promise<bigint> {
  for (let step = 1; step <= MAX_ROLLOVER_HOURS; step += 1) {
    const hourStart = new Date(total.hourStart.getTime() + step * HOUR_MS);
    const placed = await upsertPendingHours(tx, [{ ...total, hourStart }]);
    const id = placed.get(hourKey(total.subscriptionId, total.dimension, hourStart));
    if (id !== undefined) return id;
  }
  throw new Error(
    `No unsent hour within ${MAX_ROLLOVER_HOURS} h after ${total.hourStart.toISOString()} for ${total.subscriptionId}/${total.dimension}`,
  );
}
