/**
 * When a failed delivery is tried again: exponential backoff with jitter (each wait about twice the
 * one before, up to a ceiling, randomised between half and all of it so endpoints that fail
 * together do not retry in step), for a window of about three days from the first attempt; after
 * that the delivery is dead-lettered. Pure: the settings come from eventsEnv(), the randomness is
 * passed in.
 */
export interface RetrySettings {
  baseMs: number;
  maxDelayMs: number;
  windowMs: number;
}

export function retrySettings(env: {
  EVENT_RETRY_BASE_SECONDS: number;
  EVENT_RETRY_MAX_DELAY_SECONDS: number;
  EVENT_RETRY_WINDOW_HOURS: number;
}): RetrySettings {
  return {
    baseMs: env.EVENT_RETRY_BASE_SECONDS * 1000,
    maxDelayMs: env.EVENT_RETRY_MAX_DELAY_SECONDS * 1000,
    windowMs: env.EVENT_RETRY_WINDOW_HOURS * 3_600_000,
  };
}

/** The longest wait after the n-th failed attempt (1-based), before jitter. */
export function retryCeilingMs(failedAttempts: number, settings: RetrySettings): number {
  return Math.min(settings.maxDelayMs, settings.baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

/** The wait after the n-th failed attempt: between half and all of its ceiling. */
export function retryDelayMs(failedAttempts: number, settings: RetrySettings, random: () => number = Math.random) {
  return Math.round(retryCeilingMs(failedAttempts, settings) * (0.5 + random() / 2));
}

/**
 * When to try again after the n-th failed attempt of a delivery that started at `startedAt`, or
 * null when that would fall outside the retry window: dead-letter it now.
 */
export function nextAttemptAt(options: {
  failedAttempts: number;
  startedAt: Date;
  now: Date;
  settings: RetrySettings;
  random?: () => number;
}): Date | null {
  const at = new Date(options.now.getTime() + retryDelayMs(options.failedAttempts, options.settings, options.random));
  return at.getTime() - options.startedAt.getTime() > options.settings.windowMs ? null : at;
}

/** The nominal schedule (no jitter): the offsets from the first attempt at which attempts happen. */
export function nominalSchedule(settings: RetrySettings): number[] {
  const offsets = [0];
  for (let failed = 1; ; failed += 1) {
    const next = offsets[offsets.length - 1]! + retryCeilingMs(failed, settings);
    if (next > settings.windowMs) return offsets;
    offsets.push(next);
  }
}

/**
 * A delivery whose endpoint is busy is looked at again after a quarter to half of the attempt
 * timeout (at least a second): a slot frees within one timeout, and a large backlog for a slow
 * endpoint does not spin through the queue.
 */
export function busyEndpointDelayMs(timeoutMs: number, random: () => number = Math.random): number {
  return Math.max(1000, Math.round(timeoutMs * (0.25 + random() / 4)));
}
