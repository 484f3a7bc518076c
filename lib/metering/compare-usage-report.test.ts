import { describe, expect, it } from "vitest";
import type { UsageEventSummary } from "../marketplace/schemas";
import { compareUsageReport, reportPeriod, type BilledHour } from "./compare-usage-report";

const SUB = "0f0c0000-0000-4000-8000-000000000001";
const OTHER = "0f0c0000-0000-4000-8000-000000000002";
const from = new Date("2026-11-20T00:00:00Z");
const now = new Date("2026-11-25T14:30:00Z");

const hour = (iso: string, quantity: string, overrides: Partial<BilledHour> = {}): BilledHour => ({
  subscriptionId: SUB,
  dimension: "reports",
  hourStart: new Date(iso),
  planId: "basic",
  status: "accepted",
  quantity,
  ...overrides,
});
const row = (usageDate: string, submitted: number, overrides: Partial<UsageEventSummary> = {}): UsageEventSummary => ({
  usageDate: new Date(usageDate),
  usageResourceId: SUB,
  dimension: "reports",
  planId: "basic",
  reconStatus: "Accepted",
  submittedQuantity: submitted,
  processedQuantity: submitted,
  submittedCount: 1,
  ...overrides,
});
const compare = (rows: UsageEventSummary[], hours: BilledHour[], graceHours = 0, at = now) =>
  compareUsageReport({ rows, hours, now: at, graceHours, from, fallbackPeriod: "day" });
const outcomes = (result: ReturnType<typeof compare>) =>
  result.findings.map((f) => `${f.periodStart.toISOString()} ${f.dimension} ${f.outcome}`);

describe("reportPeriod (marketplace-contract.md §15.23)", () => {
  it("reads hourly rows when any row is off midnight UTC, daily rows otherwise, the fallback without rows", () => {
    expect(reportPeriod([row("2026-11-25T00:00:00Z", 1), row("2026-11-25T10:00:00Z", 1)], "day")).toBe("hour");
    expect(reportPeriod([row("2026-11-24T00:00:00Z", 1), row("2026-11-25T00:00:00Z", 1)], "hour")).toBe("day");
    expect(reportPeriod([], "hour")).toBe("hour");
    expect(reportPeriod([{ ...row("2026-11-25T00:00:00Z", 1), usageDate: undefined }], "day")).toBe("day");
  });
});

describe("compareUsageReport", () => {
  it("hourly rows: matched, Rejected and Mismatch per hour, with both sides' quantities", () => {
    const result = compare(
      [
        row("2026-11-25T08:00:00Z", 2),
        row("2026-11-25T09:00:00Z", 3, { reconStatus: "Rejected", processedQuantity: 0 }),
        row("2026-11-25T10:00:00Z", 5, { reconStatus: "Mismatch", processedQuantity: 4 }),
      ],
      [hour("2026-11-25T08:00:00Z", "2"), hour("2026-11-25T09:00:00Z", "3"), hour("2026-11-25T10:00:00Z", "5")],
    );
    expect(result.period).toBe("hour");
    expect(outcomes(result)).toEqual([
      "2026-11-25T08:00:00.000Z reports matched",
      "2026-11-25T09:00:00.000Z reports rejected",
      "2026-11-25T10:00:00.000Z reports mismatch",
    ]);
    expect(result.findings[2]).toMatchObject({
      ourQuantity: "5",
      ourHours: 1,
      submittedQuantity: "5",
      processedQuantity: "4",
      submittedCount: 1,
      reconStatus: "Mismatch",
      planId: "basic",
    });
    expect(result.findings[1]?.reason).toMatch(/rejected.*support case/);
  });

  it("daily rows: each UTC day against the sum of our hours of that day, exactly in decimals", () => {
    const hours = [
      hour("2026-11-24T23:00:00Z", "1.1"),
      hour("2026-11-25T00:00:00Z", "0.1"),
      hour("2026-11-25T08:00:00Z", "0.2"),
    ];
    const result = compare(
      [
        row("2026-11-24", 1.1),
        row("2026-11-25", 0.1 + 0.2, { submittedCount: 2, processedQuantity: 0.30000000000001 }),
      ],
      hours,
      0,
      new Date("2026-11-26T00:00:00Z"),
    );
    expect(result.period).toBe("day");
    expect(result.findings.map((f) => [f.periodStart.toISOString(), f.outcome, f.ourQuantity, f.ourHours])).toEqual([
      ["2026-11-24T00:00:00.000Z", "matched", "1.1", 1],
      ["2026-11-25T00:00:00.000Z", "matched", "0.3", 2],
    ]);
    expect(result.findings[1]).toMatchObject({ submittedQuantity: "0.3", submittedCount: 2 });
  });

  it("a difference only the portal sees counts after the grace period, and not while an hour is on its way", () => {
    const differs = [row("2026-11-25T08:00:00Z", 2, { processedQuantity: 1.5 })];
    const ours = [hour("2026-11-25T08:00:00Z", "2")];
    expect(outcomes(compare(differs, ours, 0))).toEqual(["2026-11-25T08:00:00.000Z reports mismatch"]);
    const early = compare(differs, ours, 24);
    expect(outcomes(early)).toEqual(["2026-11-25T08:00:00.000Z reports pending"]);
    expect(early.findings[0]?.reason).toMatch(/judged 24 h after/);
    // Microsoft's own verdicts and agreement count at once, grace or not.
    expect(
      outcomes(compare([row("2026-11-25T08:00:00Z", 2, { reconStatus: "Mismatch", processedQuantity: 1 })], ours, 24)),
    ).toEqual(["2026-11-25T08:00:00.000Z reports mismatch"]);
    expect(outcomes(compare([row("2026-11-25T08:00:00Z", 2)], ours, 24))).toEqual([
      "2026-11-25T08:00:00.000Z reports matched",
    ]);
    // A day with one of our hours still on its way: no conclusion from the difference yet (an hour of
    // another dimension on its way does not hold it back).
    const nextDay = new Date("2026-11-26T01:00:00Z");
    const daily = [row("2026-11-25", 2, { processedQuantity: 5 })];
    const otherDimension = [...ours, hour("2026-11-25T09:00:00Z", "1", { dimension: "x", status: "submitting" })];
    expect(outcomes(compare(daily, otherDimension, 0, nextDay))).toEqual(["2026-11-25T00:00:00.000Z reports mismatch"]);
    const sameDimension = [...ours, hour("2026-11-25T09:00:00Z", "1", { status: "submitting" })];
    expect(outcomes(compare(daily, sameDimension, 0, nextDay))).toEqual(["2026-11-25T00:00:00.000Z reports pending"]);
    // A day that has not ended is not judged on a difference.
    expect(outcomes(compare(daily, ours, 0))).toEqual(["2026-11-25T00:00:00.000Z reports pending"]);
  });

  it("missing: a billed hour Microsoft has no row for, after the grace period; usage we never billed is a mismatch", () => {
    const result = compare(
      [row("2026-11-25T08:00:00Z", 2), row("2026-11-25T08:00:00Z", 4, { usageResourceId: OTHER })],
      [hour("2026-11-25T08:00:00Z", "2"), hour("2026-11-25T09:00:00Z", "6"), hour("2026-11-25T14:00:00Z", "1")],
      1,
    );
    expect(
      result.findings.map(
        (f) => `${f.subscriptionId.slice(-1)} ${f.periodStart.toISOString().slice(11, 13)} ${f.outcome}`,
      ),
    ).toEqual(["1 08 matched", "2 08 mismatch", "1 09 missing", "1 14 pending"]);
    expect(result.findings[2]).toMatchObject({ submittedQuantity: null, reconStatus: null, ourQuantity: "6" });
    expect(result.findings[1]).toMatchObject({ ourQuantity: "0", ourHours: 0, submittedQuantity: "4" });
    // Hours not billed (expired, failed, nothing to bill) are not expected at Microsoft.
    expect(
      compare(
        [],
        [
          hour("2026-11-25T08:00:00Z", "2", { status: "expired" }),
          hour("2026-11-25T09:00:00Z", "0", { status: "skipped" }),
          hour("2026-11-25T10:00:00Z", "3", { status: "pending" }),
        ],
      ).findings,
    ).toEqual([]);
  });

  it("Submitted and unknown statuses are pending, the unknown text kept; TestHeaders and DryRun compare like Accepted", () => {
    const ours = [
      hour("2026-11-25T08:00:00Z", "2"),
      hour("2026-11-25T09:00:00Z", "3"),
      hour("2026-11-25T10:00:00Z", "4"),
      hour("2026-11-25T11:00:00Z", "5"),
    ];
    const result = compare(
      [
        row("2026-11-25T08:00:00Z", 2, { reconStatus: "Submitted", processedQuantity: 0 }),
        row("2026-11-25T09:00:00Z", 3, { reconStatus: "Pondering" }),
        row("2026-11-25T10:00:00Z", 4, { reconStatus: "TestHeaders" }),
        row("2026-11-25T11:00:00Z", 5, { reconStatus: "DryRun", processedQuantity: 1 }),
      ],
      ours,
    );
    expect(result.findings.map((f) => `${f.reconStatus} ${f.outcome}`)).toEqual([
      "Submitted pending",
      "Pondering pending",
      "TestHeaders matched",
      "DryRun mismatch",
    ]);
    expect(result.findings[1]?.reason).toMatch(/"Pondering", which the portal does not know/);
    expect(result.unknownStatuses).toEqual(["Pondering"]);
  });

  it("adds the rows of one period together (one per plan after a plan change), the gravest status deciding", () => {
    const result = compare(
      [
        row("2026-11-25", 2, { planId: "basic", planName: "Basic", offerId: "contoso-analytics", offerName: "" }),
        row("2026-11-25", 3, { planId: "pro", planName: "Pro", reconStatus: "Rejected", processedQuantity: 0 }),
      ],
      [hour("2026-11-25T08:00:00Z", "2"), hour("2026-11-25T09:00:00Z", "3", { planId: "pro" })],
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        outcome: "rejected",
        planId: "basic, pro",
        planName: "Basic, Pro",
        offerId: "contoso-analytics",
        offerName: null,
        reconStatus: "Accepted, Rejected",
        submittedQuantity: "5",
        processedQuantity: "2",
        ourQuantity: "5",
        ourHours: 2,
      }),
    ]);
  });

  it("reports rows it cannot place instead of dropping them, and ignores periods before the window", () => {
    const result = compare(
      [
        { ...row("2026-11-25T08:00:00Z", 2), usageDate: undefined },
        { ...row("2026-11-25T08:00:00Z", 2), usageResourceId: null },
        { ...row("2026-11-25T08:00:00Z", 2), submittedQuantity: null },
        row("2026-11-19T08:00:00Z", 2),
        row("2026-11-25T08:00:00Z", 2),
      ],
      [hour("2026-11-19T08:00:00Z", "9"), hour("2026-11-25T08:00:00Z", "2")],
    );
    expect(result.unreadable).toHaveLength(3);
    expect(outcomes(result)).toEqual(["2026-11-25T08:00:00.000Z reports matched"]);
  });
});
