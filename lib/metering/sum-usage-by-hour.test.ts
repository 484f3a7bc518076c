import { describe, expect, it } from "vitest";
import { sumUsageByHour, type LedgerRecord } from "./sum-usage-by-hour";
import { hourStartOf } from "./usage-window";

const sub = "0f0c0000-0000-4000-8000-000000000001";
let nextId = 1n;
const record = (time: string, quantity: string, overrides: Partial<LedgerRecord> = {}): LedgerRecord => ({
  id: nextId++,
  subscriptionId: sub,
  dimension: "reports",
  hourStart: hourStartOf(new Date(time)),
  quantity,
  planId: "basic",
  ...overrides,
});

describe("sumUsageByHour", () => {
  it("one total per subscription, dimension and UTC hour; the hour boundary splits", () => {
    const totals = sumUsageByHour([
      record("2026-11-25T10:00:00Z", "1"),
      record("2026-11-25T10:59:59.999Z", "2.5"),
      record("2026-11-25T11:00:00Z", "4"),
      record("2026-11-25T10:30:00Z", "8", { dimension: "exports" }),
      record("2026-11-25T10:30:00Z", "16", { subscriptionId: "0f0c0000-0000-4000-8000-000000000002" }),
    ]);
    expect(
      totals.map(
        (t) => `${t.subscriptionId.slice(-1)} ${t.dimension} ${t.hourStart.toISOString().slice(11, 16)} ${t.quantity}`,
      ),
    ).toEqual(["1 exports 10:00 8", "1 reports 10:00 3.5", "2 reports 10:00 16", "1 reports 11:00 4"]);
  });

  it("records reported in different time zones for the same UTC hour are one total", () => {
    const [total, ...rest] = sumUsageByHour([
      record(new Date("2026-11-25T15:40:00+05:30").toISOString(), "1"),
      record(new Date("2026-11-25T05:20:00-05:00").toISOString(), "2"),
      record("2026-11-25T10:05:00Z", "3"),
    ]);
    expect(rest).toEqual([]);
    expect(total).toMatchObject({ hourStart: new Date("2026-11-25T10:00:00Z"), quantity: "6" });
    expect(total?.recordIds).toHaveLength(3);
  });

  it("sums decimals exactly and keeps the plan of the newest record", () => {
    const [total] = sumUsageByHour([
      record("2026-11-25T10:00:00Z", "0.1"),
      record("2026-11-25T10:10:00Z", "0.2", { planId: "old" }),
      record("2026-11-25T10:20:00Z", "0.000000001", { planId: "pro" }),
    ]);
    expect(total).toMatchObject({ quantity: "0.300000001", planId: "pro" });
  });

  it("zero-quantity records make a zero total (skipped later, never sent)", () => {
    expect(sumUsageByHour([record("2026-11-25T10:00:00Z", "0")])[0]?.quantity).toBe("0");
  });
});
