import { describe, expect, it } from "vitest";
import type { Catalog } from "../types";
import type { StoredUsageEvent } from "./usage-ledger";
import { usageEventRows, usageReconciliationSchema, UsageReconciliations } from "./usage-reconciliation";

const RESOURCE = "0f0c0000-0000-4000-8000-000000000001";
const catalog: Catalog = {
  offers: [
    {
      offerId: "contoso-analytics",
      displayName: "Contoso Analytics",
      plans: [{ planId: "basic", displayName: "Basic", isPricePerSeat: false, meteringDimensions: [] }],
    },
  ],
} as unknown as Catalog;

const event = (hourStart: string, quantity: number, dimension = "reports"): StoredUsageEvent => ({
  usageEventId: `e-${hourStart}-${dimension}`,
  resourceId: RESOURCE,
  dimension,
  hourStart,
  effectiveStartTime: hourStart,
  quantity,
  planId: "basic",
  offerId: "contoso-analytics",
  messageTime: hourStart,
  via: "batchUsageEvent",
});
const events = [
  event("2026-11-25T08:00:00.000Z", 2),
  event("2026-11-25T09:00:00.000Z", 3),
  event("2026-11-25T10:00:00.000Z", 5),
  event("2026-11-26T01:00:00.000Z", 7),
];
const set = (recon: UsageReconciliations, body: Record<string, unknown>) =>
  recon.set(usageReconciliationSchema.parse({ subscriptionId: RESOURCE, dimension: "reports", ...body }));
const rows = (recon: UsageReconciliations, perHour: boolean) =>
  usageEventRows(events, { perHour, catalog, reconciliations: recon }).map((row) => ({
    usageDate: row.usageDate,
    reconStatus: row.reconStatus,
    submitted: row.submittedQuantity,
    processed: row.processedQuantity,
    count: row.submittedCount,
  }));

describe("usageEventRows (GET /usageEvents, marketplace-contract.md §9.5, §15.23)", () => {
  it("answers one Accepted row per UTC day by default, processed = submitted, with names from the catalog", () => {
    const recon = new UsageReconciliations();
    expect(rows(recon, false)).toEqual([
      { usageDate: "2026-11-25T00:00:00Z", reconStatus: "Accepted", submitted: 10, processed: 10, count: 3 },
      { usageDate: "2026-11-26T00:00:00Z", reconStatus: "Accepted", submitted: 7, processed: 7, count: 1 },
    ]);
    expect(usageEventRows(events, { perHour: false, catalog, reconciliations: recon })[0]).toMatchObject({
      usageResourceId: RESOURCE,
      dimension: "reports",
      planId: "basic",
      planName: "Basic",
      offerName: "Contoso Analytics",
      offerType: "SaaS",
    });
  });

  it("per hour, each hour shows its own status; a Rejected hour has processed 0 unless told", () => {
    const recon = new UsageReconciliations();
    set(recon, { hour: "2026-11-25T08:30:00Z", reconStatus: "Rejected" });
    set(recon, { hour: "2026-11-25T09:00:00Z", reconStatus: "Mismatch", processedQuantity: 1.5 });
    expect(rows(recon, true)).toEqual([
      { usageDate: "2026-11-25T08:00:00Z", reconStatus: "Rejected", submitted: 2, processed: 0, count: 1 },
      { usageDate: "2026-11-25T09:00:00Z", reconStatus: "Mismatch", submitted: 3, processed: 1.5, count: 1 },
      { usageDate: "2026-11-25T10:00:00Z", reconStatus: "Accepted", submitted: 5, processed: 5, count: 1 },
      { usageDate: "2026-11-26T01:00:00Z", reconStatus: "Accepted", submitted: 7, processed: 7, count: 1 },
    ]);
  });

  it("a day row combines its hours: processed summed, the gravest status shown", () => {
    const recon = new UsageReconciliations();
    set(recon, { hour: "2026-11-25T09:00:00Z", reconStatus: "Mismatch", processedQuantity: 1 });
    expect(rows(recon, false)[0]).toMatchObject({ reconStatus: "Mismatch", submitted: 10, processed: 8 });
    set(recon, { hour: "2026-11-25T10:00:00Z", reconStatus: "Pondering" });
    expect(rows(recon, false)[0]).toMatchObject({ reconStatus: "Mismatch", processed: 8 });
    set(recon, { hour: "2026-11-25T08:00:00Z", reconStatus: "Rejected" });
    expect(rows(recon, false)[0]).toMatchObject({ reconStatus: "Rejected", processed: 6 });
    // An unknown status outranks Accepted, so it is not hidden behind the day's other hours.
    const other = new UsageReconciliations();
    set(other, { hour: "2026-11-25T10:00:00Z", reconStatus: "Pondering" });
    expect(rows(other, false)[0]).toMatchObject({ reconStatus: "Pondering", processed: 10 });
  });

  it("a day's answer covers the day row, and gives each hour its status when rows are per hour", () => {
    const recon = new UsageReconciliations();
    set(recon, { day: "2026-11-25", reconStatus: "Mismatch", processedQuantity: 4 });
    expect(rows(recon, false)).toEqual([
      { usageDate: "2026-11-25T00:00:00Z", reconStatus: "Mismatch", submitted: 10, processed: 4, count: 3 },
      { usageDate: "2026-11-26T00:00:00Z", reconStatus: "Accepted", submitted: 7, processed: 7, count: 1 },
    ]);
    expect(rows(recon, true).map((row) => `${row.reconStatus} ${row.processed}`)).toEqual([
      "Mismatch 2",
      "Mismatch 3",
      "Mismatch 5",
      "Accepted 7",
    ]);
  });

  it("lists, replaces and clears answers, per subscription or all", () => {
    const recon = new UsageReconciliations();
    set(recon, { hour: "2026-11-25T08:10:00Z", reconStatus: "Rejected" });
    set(recon, { hour: "2026-11-25T08:50:00Z", reconStatus: "Mismatch", processedQuantity: 1 });
    recon.set(
      usageReconciliationSchema.parse({
        subscriptionId: "0F0C0000-0000-4000-8000-0000000000FF",
        dimension: "reports",
        day: "2026-11-25",
        reconStatus: "Rejected",
      }),
    );
    expect(recon.list({ subscriptionId: RESOURCE })).toEqual([
      expect.objectContaining({
        period: "hour",
        periodStart: "2026-11-25T08:00:00.000Z",
        reconStatus: "Mismatch",
        processedQuantity: 1,
      }),
    ]);
    expect(recon.list().map((o) => o.subscriptionId)).toContain("0f0c0000-0000-4000-8000-0000000000ff");
    expect(recon.clear({ subscriptionId: RESOURCE })).toBe(1);
    expect(recon.list()).toHaveLength(1);
    expect(recon.clear()).toBe(1);
    expect(recon.list()).toEqual([]);
  });

  it("refuses an answer without exactly one of hour and day, or with a bad time, quantity or id", () => {
    const base = { subscriptionId: RESOURCE, dimension: "reports", reconStatus: "Rejected" };
    for (const body of [
      base,
      { ...base, hour: "2026-11-25T08:00:00Z", day: "2026-11-25" },
      { ...base, hour: "yesterday" },
      { ...base, day: "25/11/2026" },
      { ...base, day: "2026-11-25", processedQuantity: -1 },
      { ...base, day: "2026-11-25", reconStatus: " " },
      { ...base, day: "2026-11-25", subscriptionId: "not-a-guid" },
    ])
      expect(usageReconciliationSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
  });
});
