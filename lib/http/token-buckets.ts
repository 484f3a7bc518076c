/**
 * Token buckets keyed by caller (pure, in memory, unit-tested): each key holds up to `capacity`
 * tokens and regains `capacity` per `periodMs`, continuously. `take(key, n)` spends n tokens or
 * says how long to wait until n are there. Per process: several portal instances each allow the
 * full rate, which is what a guard against a runaway client needs, not an exact quota.
 */
export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly options: { capacity: number; periodMs: number; maxKeys?: number; now?: () => number }) {}

  take(key: string, count = 1): TakeResult {
    const { capacity, periodMs } = this.options;
    const now = (this.options.now ?? Date.now)();
    const rate = capacity / periodMs;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    const tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.at) * rate);
    if (count > capacity) return { ok: false, retryAfterMs: periodMs }; // never possible: the caller must split
    if (tokens < count) {
      this.store(key, { tokens, at: now });
      return { ok: false, retryAfterMs: Math.ceil((count - tokens) / rate) };
    }
    this.store(key, { tokens: tokens - count, at: now });
    return { ok: true, remaining: Math.floor(tokens - count) };
  }

  private store(key: string, bucket: { tokens: number; at: number }) {
    this.buckets.delete(key); // re-insert: the map stays in least-recently-used order
    this.buckets.set(key, bucket);
    const maxKeys = this.options.maxKeys ?? 10_000;
    if (this.buckets.size > maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}
