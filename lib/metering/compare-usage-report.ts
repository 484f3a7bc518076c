/**
 * Compares Microsoft's usage report (GET /usageEvents, marketplace-contract.md §9.5) with the hours
 * the portal billed, per subscription, dimension and UTC hour or day (§15.23). Pure, so every rule
 * is unit-tested:
 *   - an answer with any row off midnight UTC is read as hourly rows, else as daily ones (each day
 *     compared with the sum of our hours of that UTC day); several rows of one period (one per plan)
 *     are added together;
 *   - Microsoft's own `Rejected` and `Mismatch` count at once, and so does agreement;
 *   - a difference only we see (`Accepted` with other quantities) and a period we billed that has no
 *     row count only after the grace period, and only once none of our hours in it is still on its way;
 *   - `Submitted` and statuses we do not know are pending (the unknown text is kept).
 */
import "server-only";
import type { UsageHourStatus, UsagePeriod, UsageReconciliationOutcome } from "../generated/prisma/enums";
import { reconStatuses, type UsageEventSummary } from "../marketplace/schemas";
import { formatNano, toNano } from "./quantity";
import { HOUR_MS } from "./usage-window";

export const DAY_MS = 24 * HOUR_MS;
/** Outcomes an admin must look at (audited once, counted on the dashboard). */
export const ALERT_OUTCOMES: readonly UsageReconciliationOutcome[] = ["rejected", "mismatch", "missing"];
/** Statuses whose quantities are compared like an accepted row's (TestHeaders, DryRun: test usage, recorded as sent). */
const COMPARED_STATUSES = new Set(["Accepted", "TestHeaders", "DryRun"]);
const BILLED: ReadonlySet<UsageHourStatus> = new Set(["accepted", "duplicate"]);
const ON_ITS_WAY: ReadonlySet<UsageHourStatus> = new Set(["pending", "submitting", "held"]);

/** One of our usage hours, with the quantity Microsoft has for it (billed, else sent, else ours). */
export interface BilledHour {
  subscriptionId: string;
  dimension: string;
  hourStart: Date;
  planId: string;
  status: UsageHourStatus;
  quantity: string;
}

export interface UsageFinding {
  subscriptionId: string;
  dimension: string;
  period: UsagePeriod;
  periodStart: Date;
  planId: string | null;
  planName: string | null;
  offerId: string | null;
  offerName: string | null;
  ourQuantity: string;
  ourHours: number;
  submittedQuantity: string | null;
  processedQuantity: string | null;
  submittedCount: number | null;
  reconStatus: string | null;
  outcome: UsageReconciliationOutcome;
  reason: string;
}

export interface UsageComparison {
  period: UsagePeriod;
  findings: UsageFinding[];
  /** Rows without a usable date, resource, dimension or quantity: reported, never silently dropped. */
  unreadable: UsageEventSummary[];
  /** Statuses Microsoft sent that the portal does not know. */
  unknownStatuses: string[];
}

const KNOWN_STATUSES: ReadonlySet<string> = new Set(reconStatuses);

/** The statuses in a finding's `reconStatus` (", "-joined) that the portal does not know. */
export function unknownReconStatuses(reconStatus: string | null): string[] {
  return (reconStatus ?? "").split(", ").filter((status) => status !== "" && !KNOWN_STATUSES.has(status));
}

const keyOf = (subscriptionId: string, dimension: string, periodStart: Date) =>
  `${subscriptionId}|${dimension}|${periodStart.toISOString()}`;

export function periodStartOf(date: Date, period: UsagePeriod): Date {
  const size = period === "hour" ? HOUR_MS : DAY_MS;
  return new Date(Math.floor(date.getTime() / size) * size);
}

export const periodEnd = (start: Date, period: UsagePeriod) =>
  new Date(start.getTime() + (period === "hour" ? HOUR_MS : DAY_MS));

/** A finite double from Microsoft in nano-units (9 decimals, like our ledger); undefined when it cannot be one. */
function nanoOf(value: number): bigint | undefined {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return undefined;
  const nano = toNano(Math.abs(value).toFixed(9));
  return nano === undefined ? undefined : value < 0 ? -nano : nano;
}
const textOf = (nano: bigint) => (nano < 0n ? `-${formatNano(-nano)}` : formatNano(nano));

/** Equal within what a double can carry (Microsoft's quantities are doubles). */
const abs = (value: bigint) => (value < 0n ? -value : value);
function sameNano(a: bigint, b: bigint): boolean {
  const diff = abs(a - b);
  const larger = abs(a) > abs(b) ? abs(a) : abs(b);
  return diff <= 1000n || diff <= larger / 1_000_000_000_000n;
}

interface ReportGroup {
  subscriptionId: string;
  dimension: string;
  periodStart: Date;
  planIds: string[];
  planNames: string[];
  offerIds: string[];
  offerNames: string[];
  statuses: string[];
  submitted: bigint;
  processed: bigint | null;
  count: number | null;
}

interface OurGroup {
  planIds: string[];
  billed: bigint;
  hours: number;
  onItsWay: boolean;
}

const addUnique = (list: string[], value: string | null | undefined) => {
  if (value && !list.includes(value)) list.push(value);
};

/** `hour` when any row is off midnight UTC (§15.23); with no rows, the period we used last time. */
export function reportPeriod(rows: UsageEventSummary[], fallback: UsagePeriod): UsagePeriod {
  const dated = rows.flatMap((row) => (row.usageDate ? [row.usageDate] : []));
  if (dated.length === 0) return fallback;
  return dated.some((date) => date.getTime() % DAY_MS !== 0) ? "hour" : "day";
}

export function compareUsageReport(input: {
  rows: UsageEventSummary[];
  hours: BilledHour[];
  now: Date;
  graceHours: number;
  /** Start of the first UTC day read; rows and hours before it are not judged. */
  from: Date;
  /** The period to use when Microsoft sent no row (the one the stored findings have). */
  fallbackPeriod: UsagePeriod;
}): UsageComparison {
  const unreadable: UsageEventSummary[] = [];
  const unknownStatuses: string[] = [];
  const readable = input.rows.filter((row) => {
    const ok =
      row.usageDate !== undefined &&
      Boolean(row.usageResourceId) &&
      Boolean(row.dimension?.trim()) &&
      typeof row.submittedQuantity === "number" &&
      nanoOf(row.submittedQuantity) !== undefined;
    if (!ok) unreadable.push(row);
    return ok;
  });
  const period = reportPeriod(readable, input.fallbackPeriod);

  const report = new Map<string, ReportGroup>();
  for (const row of readable) {
    const periodStart = periodStartOf(row.usageDate as Date, period);
    if (periodStart < input.from) continue;
    const subscriptionId = row.usageResourceId as string;
    const dimension = (row.dimension as string).trim();
    const key = keyOf(subscriptionId, dimension, periodStart);
    const group = report.get(key) ?? {
      subscriptionId,
      dimension,
      periodStart,
      planIds: [],
      planNames: [],
      offerIds: [],
      offerNames: [],
      statuses: [],
      submitted: 0n,
      processed: 0n,
      count: 0,
    };
    addUnique(group.planIds, row.planId?.trim());
    addUnique(group.planNames, row.planName?.trim());
    addUnique(group.offerIds, row.offerId?.trim());
    addUnique(group.offerNames, row.offerName?.trim());
    const status = row.reconStatus?.trim() || "(none)";
    addUnique(group.statuses, status);
    if (!KNOWN_STATUSES.has(status)) addUnique(unknownStatuses, status);
    group.submitted += nanoOf(row.submittedQuantity as number) ?? 0n;
    const processed = typeof row.processedQuantity === "number" ? nanoOf(row.processedQuantity) : undefined;
    group.processed = group.processed === null || processed === undefined ? null : group.processed + processed;
    group.count =
      group.count === null || typeof row.submittedCount !== "number"
        ? null
        : group.count + Math.round(row.submittedCount);
    report.set(key, group);
  }

  const ours = new Map<string, OurGroup & { subscriptionId: string; dimension: string; periodStart: Date }>();
  for (const hour of input.hours) {
    const billed = BILLED.has(hour.status);
    if (!billed && !ON_ITS_WAY.has(hour.status)) continue;
    const periodStart = periodStartOf(hour.hourStart, period);
    if (periodStart < input.from) continue;
    const key = keyOf(hour.subscriptionId, hour.dimension, periodStart);
    const group = ours.get(key) ?? {
      subscriptionId: hour.subscriptionId,
      dimension: hour.dimension,
      periodStart,
      planIds: [],
      billed: 0n,
      hours: 0,
      onItsWay: false,
    };
    if (billed) {
      group.billed += toNano(hour.quantity) ?? 0n;
      group.hours += 1;
      addUnique(group.planIds, hour.planId);
    } else group.onItsWay = true;
    ours.set(key, group);
  }

  const findings: UsageFinding[] = [];
  for (const key of new Set([...report.keys(), ...ours.keys()])) {
    const microsoft = report.get(key);
    const our = ours.get(key);
    const at = microsoft ?? our;
    if (!at) continue;
    if (!microsoft && (!our || our.hours === 0)) continue; // nothing billed yet, nothing reported
    const billed = our?.billed ?? 0n;
    const judged =
      !our?.onItsWay && input.now.getTime() >= periodEnd(at.periodStart, period).getTime() + input.graceHours * HOUR_MS;
    const finding: Omit<UsageFinding, "outcome" | "reason"> = {
      subscriptionId: at.subscriptionId,
      dimension: at.dimension,
      period,
      periodStart: at.periodStart,
      planId: (microsoft?.planIds.length ? microsoft.planIds : (our?.planIds ?? [])).join(", ") || null,
      planName: microsoft?.planNames.join(", ") || null,
      offerId: microsoft?.offerIds.join(", ") || null,
      offerName: microsoft?.offerNames.join(", ") || null,
      ourQuantity: textOf(billed),
      ourHours: our?.hours ?? 0,
      submittedQuantity: microsoft ? textOf(microsoft.submitted) : null,
      processedQuantity: microsoft?.processed === null || !microsoft ? null : textOf(microsoft.processed),
      submittedCount: microsoft?.count ?? null,
      reconStatus: microsoft ? microsoft.statuses.join(", ") : null,
    };
    findings.push({ ...finding, ...judge(microsoft, billed, judged, input.graceHours) });
  }
  findings.sort(
    (a, b) =>
      a.periodStart.getTime() - b.periodStart.getTime() ||
      a.subscriptionId.localeCompare(b.subscriptionId) ||
      a.dimension.localeCompare(b.dimension),
  );
  return { period, findings, unreadable, unknownStatuses };
}

function judge(
  microsoft: ReportGroup | undefined,
  billed: bigint,
  judged: boolean,
  graceHours: number,
): Pick<UsageFinding, "outcome" | "reason"> {
  const ours = textOf(billed);
  if (!microsoft) {
    return judged
      ? {
          outcome: "missing",
          reason: `Microsoft's usage report has no row for the ${ours} the portal billed (Microsoft accepted the events). Check the subscription's usage in Partner Center, or open a support case.`,
        }
      : {
          outcome: "pending",
          reason: `Not in Microsoft's usage report yet; judged ${graceHours} h after the period ends.`,
        };
  }
  const submitted = textOf(microsoft.submitted);
  const processed = microsoft.processed === null ? null : textOf(microsoft.processed);
  const theirs = `Microsoft: submitted ${submitted}${processed === null ? "" : `, processed ${processed}`}; the portal billed ${ours}.`;
  if (microsoft.statuses.includes("Rejected"))
    return {
      outcome: "rejected",
      reason: `Microsoft rejected this usage (dropped in its pipeline, not billed). ${theirs} Open a support case in Partner Center naming the subscription, dimension and period.`,
    };
  if (microsoft.statuses.includes("Mismatch"))
    return {
      outcome: "mismatch",
      reason: `Microsoft reports a mismatch between what it received and what it processed. ${theirs}`,
    };
  if (microsoft.statuses.every((status) => COMPARED_STATUSES.has(status))) {
    const agrees =
      sameNano(microsoft.submitted, billed) && (microsoft.processed === null || sameNano(microsoft.processed, billed));
    if (agrees)
      return {
        outcome: "matched",
        reason: microsoft.statuses.every((status) => status === "Accepted")
          ? "Microsoft processed what the portal billed."
          : `Microsoft recorded what the portal billed as test usage (${microsoft.statuses.join(", ")}).`,
      };
    return judged
      ? { outcome: "mismatch", reason: `Microsoft's quantities differ from the portal's. ${theirs}` }
      : {
          outcome: "pending",
          reason: `Microsoft's quantities differ from the portal's so far; judged ${graceHours} h after the period ends. ${theirs}`,
        };
  }
  const unknown = microsoft.statuses.filter((status) => !KNOWN_STATUSES.has(status));
  if (unknown.length > 0)
    return {
      outcome: "pending",
      reason: `Microsoft reports the status ${unknown.map((s) => `"${s}"`).join(", ")}, which the portal does not know; shown as sent. ${theirs}`,
    };
  return { outcome: "pending", reason: `Microsoft has not processed this usage yet (Submitted). ${theirs}` };
}
