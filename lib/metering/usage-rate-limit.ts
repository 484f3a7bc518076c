import "server-only";
import { takeRateTokens } from "../http/take-rate-tokens";
import { meteringSettings } from "./metering-settings";
import type { UsageRefusal } from "./usage-refusals";

/** How many records a request body carries (what the limit counts: work is per record, not per request). */
export function recordCount(body: unknown): number {
  const records = typeof body === "object" && body !== null && "records" in body ? body.records : undefined;
  return Array.isArray(records) ? Math.max(1, records.length) : 1;
}

/**
 * Guards the ingest against a product stuck in a loop: each API key may report
 * METERING_RATE_LIMIT_PER_MINUTE records per minute (bursts up to that), counted in the database
 * so all portal instances together allow that many, not that many each.
 * Over the limit the request is refused whole with 429 and Retry-After; nothing is recorded.
 */
export async function checkUsageRate(
  apiKeyId: string,
  body: unknown,
): Promise<{ ok: true } | { ok: false; refusal: UsageRefusal; retryAfterSeconds: number }> {
  const perMinute = meteringSettings().rateLimitPerMinute;
  if (perMinute === 0) return { ok: true };
  const result = await takeRateTokens({
    key: `usage:${apiKeyId}`,
    count: recordCount(body),
    capacity: perMinute,
    periodMs: 60_000,
  });
  if (result.ok) return { ok: true };
  const retryAfterSeconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  return {
    ok: false,
    retryAfterSeconds,
    refusal: {
      code: "rate_limited",
      message: `This API key reported more than ${perMinute} records in the last minute. Nothing from this request was recorded; send it again after ${retryAfterSeconds} s.`,
    },
  };
}
