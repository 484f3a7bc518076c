/**
 * Folds raw usage records into one total per subscription, dimension and UTC hour — the unit
 * Microsoft bills (one event per hour, marketplace-contract.md §9.1). Exact decimal sums; the plan of
 * the newest record wins when a plan changed within the hour.
 */
import "server-only";
import { addQuantities } from "./quantity";

export interface LedgerRecord {
  id: bigint;
  subscriptionId: string;
  dimension: string;
  hourStart: Date;
  /** Decimal as text. */
  quantity: string;
  planId: string;
}

export interface HourTotal {
  subscriptionId: string;
  dimension: string;
  hourStart: Date;
  quantity: string;
  planId: string;
  recordIds: bigint[];
}

export const hourKey = (subscriptionId: string, dimension: string, hourStart: Date) =>
  `${subscriptionId}|${dimension}|${hourStart.toISOString()}`;

export function sumUsageByHour(records: LedgerRecord[]): HourTotal[] {
  const groups = new Map<string, { total: HourTotal; quantities: string[]; newest: bigint }>();
  for (const record of records) {
    const key = hourKey(record.subscriptionId, record.dimension, record.hourStart);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        total: {
          subscriptionId: record.subscriptionId,
          dimension: record.dimension,
          hourStart: record.hourStart,
          quantity: "0",
          planId: record.planId,
          recordIds: [record.id],
        },
        quantities: [record.quantity],
        newest: record.id,
      });
      continue;
    }
    group.quantities.push(record.quantity);
    group.total.recordIds.push(record.id);
    if (record.id > group.newest) {
      group.newest = record.id;
      group.total.planId = record.planId;
    }
  }
  return [...groups.values()]
    .map(({ total, quantities }) => ({ ...total, quantity: addQuantities(quantities) }))
    .sort(
      (a, b) =>
        a.hourStart.getTime() - b.hourStart.getTime() ||
        a.subscriptionId.localeCompare(b.subscriptionId) ||
        a.dimension.localeCompare(b.dimension),
    );
}
