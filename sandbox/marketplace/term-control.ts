/**
 * `POST /sandbox-api/subscriptions/{id}/term`: sets a subscription's term as Microsoft would report
 * it, so portal tests can play values the catalog never produces: an undocumented term unit
 * (`PAY`, marketplace-contract.md §15.12), a `chargeDuration` (§5.3), date-only dates. No
 * operation and no webhook: Microsoft reports the term, it does not announce it.
 */
import { z } from "zod";
import { badRequest } from "./subscription-rules";
import type { StoredSubscription } from "./model";

/** `2026-05-20` or an ISO date-time (`2026-05-20T00:00:00Z`): the two forms Microsoft has sent. */
const termDateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/, {
    message: "must be a date (2026-05-20) or an ISO date-time (2026-05-20T00:00:00Z)",
  })
  .refine(isCalendarDate, { message: "is not a calendar date" });

/** `Date.parse` is lenient (`2026-02-30` is 2 March): the day must exist in its month. */
function isCalendarDate(text: string): boolean {
  if (Number.isNaN(Date.parse(text))) return false;
  const [year, month, day] = text.slice(0, 10).split("-").map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Absent = unchanged; `null` = removed (a date, or chargeDuration, that Microsoft does not report). */
export const termUpdateSchema = z.strictObject({
  /** Any text, reported as it is (an unknown unit has no length the sandbox knows). */
  termUnit: z.string().trim().min(1).max(40).optional(),
  chargeDuration: z.string().trim().min(1).max(40).nullable().optional(),
  startDate: termDateSchema.nullable().optional(),
  endDate: termDateSchema.nullable().optional(),
});
export type TermUpdate = z.infer<typeof termUpdateSchema>;

/**
 * Applies the update to the subscription (the caller persists). Throws a 400 for an update that
 * changes nothing or would leave the term ending before it starts; the subscription is then untouched.
 */
export function applyTermUpdate(subscription: StoredSubscription, update: TermUpdate, now: Date): void {
  if (Object.values(update).every((value) => value === undefined)) {
    throw badRequest("Send at least one of termUnit, chargeDuration, startDate, endDate.");
  }
  const startDate = update.startDate === undefined ? subscription.termStartDate : (update.startDate ?? undefined);
  const endDate = update.endDate === undefined ? subscription.termEndDate : (update.endDate ?? undefined);
  if (startDate !== undefined && endDate !== undefined && Date.parse(endDate) < Date.parse(startDate)) {
    throw badRequest(`The term would end (${endDate}) before it starts (${startDate}).`);
  }
  if (update.termUnit !== undefined) subscription.termUnit = update.termUnit;
  setOrDelete(subscription, "chargeDuration", update.chargeDuration);
  setOrDelete(subscription, "termStartDate", update.startDate);
  setOrDelete(subscription, "termEndDate", update.endDate);
  subscription.lastModified = now.toISOString();
}

function setOrDelete(
  subscription: StoredSubscription,
  key: "chargeDuration" | "termStartDate" | "termEndDate",
  value: string | null | undefined,
): void {
  if (value === undefined) return;
  if (value === null) delete subscription[key];
  else subscription[key] = value;
}
