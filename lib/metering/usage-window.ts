/**
 * Time rules of metered billing, all in UTC (marketplace-contract.md §9.1): Microsoft takes one event
 * per subscription, dimension and clock hour, with `effectiveStartTime` at most 24 hours old. We
 * send an hour's event with the start of the hour as its time, so an hour can be billed until
 * 24 h after it *started* — the window is measured on the hour, not on the record's own time.
 */
import "server-only";

export const HOUR_MS = 60 * 60 * 1000;
/** How far back Microsoft accepts usage. */
export const MICROSOFT_WINDOW_MS = 24 * HOUR_MS;

export interface UsageTimeSettings {
  /** Usage whose hour started more than 24 h minus this margin ago is refused at ingest. */
  windowMarginMinutes: number;
  /** How far ahead of our clock a record's time may be. */
  clockSkewSeconds: number;
}

export function hourStartOf(date: Date): Date {
  return new Date(Math.floor(date.getTime() / HOUR_MS) * HOUR_MS);
}

/** The last moment Microsoft still accepts this hour's event. */
export function billableUntil(hourStart: Date): Date {
  return new Date(hourStart.getTime() + MICROSOFT_WINDOW_MS);
}

/** The oldest hour ingest still accepts: its event must reach Microsoft with time to spare for retries. */
export function earliestAcceptedHour(now: Date, settings: UsageTimeSettings): Date {
  const limit = now.getTime() - MICROSOFT_WINDOW_MS + settings.windowMarginMinutes * 60_000;
  // Round up: an hour that started before the limit is already too old.
  return new Date(Math.ceil(limit / HOUR_MS) * HOUR_MS);
}

export type UsageTimeCheck =
  { ok: true; hourStart: Date } | { ok: false; code: "time_too_old" | "time_in_future"; message: string };

export function checkUsageTime(effectiveAt: Date, now: Date, settings: UsageTimeSettings): UsageTimeCheck {
  const latest = now.getTime() + settings.clockSkewSeconds * 1000;
  if (effectiveAt.getTime() > latest) {
    return {
      ok: false,
      code: "time_in_future",
      message: `effectiveAt is in the future: at most ${settings.clockSkewSeconds} s ahead of the portal's clock (${now.toISOString()}) is accepted.`,
    };
  }
  const hourStart = hourStartOf(effectiveAt);
  const earliest = earliestAcceptedHour(now, settings);
  if (hourStart.getTime() < earliest.getTime()) {
    return {
      ok: false,
      code: "time_too_old",
      message: `effectiveAt is too old: Microsoft bills usage for 24 hours after the start of its hour and the portal keeps ${settings.windowMarginMinutes} min of that for delivery, so the earliest accepted time is ${earliest.toISOString()}.`,
    };
  }
  return { ok: true, hourStart };
}

/**
 * The newest hour that may be sent: closed, and `delayMinutes` past its end so usage reported a
 * little late still lands in its own hour.
 */
export function lastSubmittableHour(now: Date, delayMinutes: number): Date {
  return hourStartOf(new Date(now.getTime() - HOUR_MS - delayMinutes * 60_000));
}

/** Hours that started before this can no longer be billed. */
export function expiryCutoff(now: Date): Date {
  return new Date(now.getTime() - MICROSOFT_WINDOW_MS);
}

/** Hours that started before this are close to leaving the window: unbilled usage there is warned about. */
export function expiryWarningFrom(now: Date, warningHours: number): Date {
  return new Date(expiryCutoff(now).getTime() + warningHours * HOUR_MS);
}

/** An hour an admin may send again: failed or held, and still inside Microsoft's window (retry-usage-hour applies the same rule). */
export function isRetryableHour(hour: { status: string; hourStart: Date }, now: Date): boolean {
  return ["failed", "held"].includes(hour.status) && hour.hourStart > expiryCutoff(now);
}
