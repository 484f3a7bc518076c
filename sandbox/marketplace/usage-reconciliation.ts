/**
 * What the emulated `GET /usageEvents` reports (marketplace-contract.md §9.5, §15.23): rows per UTC day — or per
 * UTC hour with the variant `hourly-usage-events` — resource, dimension and plan, built from the events the
 * Metering API accepted, with the reconciliation Microsoft reports for each. The sandbox reconciles at once
 * (`Accepted`, processed = submitted) unless told otherwise through the control API
 * (`/sandbox-api/usage-reconciliation`): for one resource, dimension and hour (or day), another `reconStatus`
 * (`Rejected`, `Mismatch`, or any text: Microsoft's list is open) and another processed quantity. Kept in memory,
 * like injected faults: a restart forgets them.
 */
import { z } from "zod";
import type { Catalog } from "../types";
import { findOffer, findPlan } from "./catalog";
import { parseEventTime } from "./metering-rules";
import type { StoredUsageEvent } from "./usage-ledger";

export type UsagePeriod = "hour" | "day";

export const usageReconciliationSchema = z
  .object({
    /** The SaaS subscription id (Microsoft's `usageResourceId`). */
    subscriptionId: z.uuid().transform((id) => id.toLowerCase()),
    dimension: z.string().trim().min(1).max(100),
    /** Any instant inside the UTC hour (ISO 8601; UTC when it has no offset). */
    hour: z.string().min(1).optional(),
    /** A UTC day, `YYYY-MM-DD`. */
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "day must be YYYY-MM-DD")
      .optional(),
    /** Carried as given: `Rejected`, `Mismatch`, `Submitted`, `TestHeaders`, or a value Microsoft has not documented. */
    reconStatus: z.string().trim().min(1).max(50),
    /** What Microsoft says it processed; by default 0 for `Rejected`, else the submitted quantity. */
    processedQuantity: z.number().finite().min(0).optional(),
  })
  .superRefine((value, context) => {
    if ((value.hour === undefined) === (value.day === undefined))
      context.addIssue({ code: "custom", message: "give exactly one of hour and day", path: ["hour"] });
    if (value.hour !== undefined && !parseEventTime(value.hour))
      context.addIssue({ code: "custom", message: "hour must be an ISO 8601 date-time", path: ["hour"] });
    if (value.day !== undefined && !parseEventTime(value.day))
      context.addIssue({ code: "custom", message: "day is not a date", path: ["day"] });
  });
export type UsageReconciliationRequest = z.infer<typeof usageReconciliationSchema>;

export interface UsageReconciliationOverride {
  subscriptionId: string;
  dimension: string;
  period: UsagePeriod;
  /** Start of the UTC hour or day, ISO. */
  periodStart: string;
  reconStatus: string;
  processedQuantity: number | null;
  setAt: string;
}

const dayOf = (iso: string) => `${iso.slice(0, 10)}T00:00:00.000Z`;
const hourOf = (date: Date) => {
  const hour = new Date(date.getTime());
  hour.setUTCMinutes(0, 0, 0);
  return hour.toISOString();
};
const keyOf = (subscriptionId: string, dimension: string, period: UsagePeriod, periodStart: string) =>
  `${subscriptionId}|${dimension}|${period}|${periodStart}`;

export class UsageReconciliations {
  private readonly overrides = new Map<string, UsageReconciliationOverride>();

  /** Sets (or replaces) the answer for one resource, dimension and hour or day. */
  set(request: UsageReconciliationRequest, now = new Date()): UsageReconciliationOverride {
    const period: UsagePeriod = request.hour !== undefined ? "hour" : "day";
    const periodStart =
      period === "hour"
        ? hourOf(parseEventTime(request.hour ?? "") ?? now)
        : dayOf((parseEventTime(request.day ?? "") ?? now).toISOString());
    const override: UsageReconciliationOverride = {
      subscriptionId: request.subscriptionId,
      dimension: request.dimension,
      period,
      periodStart,
      reconStatus: request.reconStatus,
      processedQuantity: request.processedQuantity ?? null,
      setAt: now.toISOString(),
    };
    this.overrides.set(keyOf(override.subscriptionId, override.dimension, period, periodStart), override);
    return override;
  }

  list(filter: { subscriptionId?: string | undefined } = {}): UsageReconciliationOverride[] {
    const id = filter.subscriptionId?.toLowerCase();
    return [...this.overrides.values()]
      .filter((o) => id === undefined || o.subscriptionId === id)
      .sort((a, b) => a.periodStart.localeCompare(b.periodStart) || a.dimension.localeCompare(b.dimension));
  }

  /** Removes the overrides (of one subscription, or all); returns how many. */
  clear(filter: { subscriptionId?: string | undefined } = {}): number {
    const doomed = this.list(filter);
    for (const o of doomed) this.overrides.delete(keyOf(o.subscriptionId, o.dimension, o.period, o.periodStart));
    return doomed.length;
  }

  find(subscriptionId: string, dimension: string, period: UsagePeriod, periodStart: string) {
    return this.overrides.get(keyOf(subscriptionId, dimension, period, periodStart));
  }

  /** What Microsoft reports for one accepted event's hour: the hour's override, else its day's status. */
  forEvent(event: StoredUsageEvent): { reconStatus: string; processedQuantity: number } {
    const hour = this.find(event.resourceId, event.dimension, "hour", event.hourStart);
    const day = this.find(event.resourceId, event.dimension, "day", dayOf(event.hourStart));
    const reconStatus = hour?.reconStatus ?? day?.reconStatus ?? "Accepted";
    return { reconStatus, processedQuantity: hour?.processedQuantity ?? defaultProcessed(reconStatus, event.quantity) };
  }
}

const defaultProcessed = (reconStatus: string, submitted: number) => (reconStatus === "Rejected" ? 0 : submitted);

/** The status a row of several hours shows: the gravest of its hours' (Rejected, Mismatch, anything else, Accepted). */
const gravity = (status: string) =>
  status === "Rejected" ? 3 : status === "Mismatch" ? 2 : status === "Accepted" ? 0 : 1;

export interface UsageEventRow {
  usageDate: string;
  usageResourceId: string;
  dimension: string;
  planId: string;
  planName: string;
  offerId: string;
  offerName: string;
  offerType: string;
  azureSubscriptionId: null;
  reconStatus: string;
  submittedQuantity: number;
  processedQuantity: number;
  submittedCount: number;
}

/**
 * Microsoft's rows for these accepted events: one per UTC day (or hour), resource, dimension and plan. A day
 * row takes a day override when there is one, else combines its hours' (processed quantities summed, the
 * gravest status shown).
 */
export function usageEventRows(
  events: StoredUsageEvent[],
  options: { perHour: boolean; catalog: Catalog; reconciliations: UsageReconciliations },
): UsageEventRow[] {
  const groups = new Map<string, { usageDate: string; events: StoredUsageEvent[] }>();
  for (const event of events) {
    const periodStart = options.perHour ? event.hourStart : dayOf(event.hourStart);
    const usageDate = `${periodStart.slice(0, 19)}Z`;
    const key = `${usageDate}|${event.resourceId}|${event.dimension}|${event.planId}`;
    const group = groups.get(key) ?? { usageDate, events: [] };
    group.events.push(event);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ usageDate, events: rowEvents }) => {
    const first = rowEvents[0] as StoredUsageEvent;
    const submitted = rowEvents.reduce((sum, e) => sum + e.quantity, 0);
    const dayOverride = options.perHour
      ? undefined
      : options.reconciliations.find(first.resourceId, first.dimension, "day", dayOf(first.hourStart));
    let reconStatus: string;
    let processed: number;
    if (dayOverride) {
      reconStatus = dayOverride.reconStatus;
      processed = dayOverride.processedQuantity ?? defaultProcessed(reconStatus, submitted);
    } else {
      const hours = rowEvents.map((e) => options.reconciliations.forEvent(e));
      reconStatus = hours.reduce(
        (gravest, hour) => (gravity(hour.reconStatus) > gravity(gravest) ? hour.reconStatus : gravest),
        "Accepted",
      );
      processed = hours.reduce((sum, hour) => sum + hour.processedQuantity, 0);
    }
    return {
      usageDate,
      usageResourceId: first.resourceId,
      dimension: first.dimension,
      planId: first.planId,
      planName: findPlan(options.catalog, first.offerId, first.planId)?.displayName ?? "",
      offerId: first.offerId,
      offerName: findOffer(options.catalog, first.offerId)?.displayName ?? "",
      offerType: "SaaS",
      azureSubscriptionId: null,
      reconStatus,
      submittedQuantity: submitted,
      processedQuantity: processed,
      submittedCount: rowEvents.length,
    };
  });
}
