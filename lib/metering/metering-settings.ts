/** The metering settings from the environment (lib/env.ts), in the units the code uses. */
import "server-only";
import { meteringEnv } from "../env";

export interface MeteringSettings {
  submitIntervalMinutes: number;
  submitDelayMinutes: number;
  windowMarginMinutes: number;
  clockSkewSeconds: number;
  expiryWarningHours: number;
  maxQuantity: number;
  planCacheSeconds: number;
  rateLimitPerMinute: number;
  reconcileIntervalMinutes: number;
  reconcileDays: number;
  reconcileGraceHours: number;
}

export function meteringSettings(): MeteringSettings {
  const env = meteringEnv();
  return {
    submitIntervalMinutes: env.METERING_SUBMIT_INTERVAL_MINUTES,
    submitDelayMinutes: env.METERING_SUBMIT_DELAY_MINUTES,
    windowMarginMinutes: env.METERING_WINDOW_MARGIN_MINUTES,
    clockSkewSeconds: env.METERING_CLOCK_SKEW_SECONDS,
    expiryWarningHours: env.METERING_EXPIRY_WARNING_HOURS,
    maxQuantity: env.METERING_MAX_QUANTITY,
    planCacheSeconds: env.METERING_PLAN_CACHE_SECONDS,
    rateLimitPerMinute: env.METERING_RATE_LIMIT_PER_MINUTE,
    reconcileIntervalMinutes: env.USAGE_RECONCILE_INTERVAL_MINUTES,
    reconcileDays: env.USAGE_RECONCILE_DAYS,
    reconcileGraceHours: env.USAGE_RECONCILE_GRACE_HOURS,
  };
}
