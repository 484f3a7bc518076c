import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./token-buckets";

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("TokenBuckets", () => {
  it("allows a burst up to the capacity, then says how long to wait", () => {
    const time = clock();
    const buckets = new TokenBuckets({ capacity: 60, periodMs: 60_000, now: time.now });
    expect(buckets.take("k", 50)).toEqual({ ok: true, remaining: 10 });
    expect(buckets.take("k", 10)).toEqual({ ok: true, remaining: 0 });
    expect(buckets.take("k", 5)).toEqual({ ok: false, retryAfterMs: 5000 });
  });

  it("refills continuously, never above the capacity", () => {
    const time = clock();
    const buckets = new TokenBuckets({ capacity: 60, periodMs: 60_000, now: time.now });
    buckets.take("k", 60);
    time.advance(2_500);
    expect(buckets.take("k", 3)).toEqual({ ok: false, retryAfterMs: 500 });
    time.advance(500);
    expect(buckets.take("k", 3)).toEqual({ ok: true, remaining: 0 });
    time.advance(10 * 60_000);
    expect(buckets.take("k", 0)).toEqual({ ok: true, remaining: 60 });
  });

  it("keeps callers apart, and refuses a request larger than the capacity outright", () => {
    const time = clock();
    const buckets = new TokenBuckets({ capacity: 10, periodMs: 1000, now: time.now });
    buckets.take("a", 10);
    expect(buckets.take("b", 10).ok).toBe(true);
    expect(buckets.take("c", 11)).toEqual({ ok: false, retryAfterMs: 1000 });
  });

  it("forgets the least recently used caller beyond maxKeys (a forgotten caller starts full)", () => {
    const time = clock();
    const buckets = new TokenBuckets({ capacity: 5, periodMs: 1000, maxKeys: 2, now: time.now });
    buckets.take("a", 5);
    buckets.take("b", 5);
    buckets.take("c", 5);
    expect(buckets.take("b", 1).ok).toBe(false);
    expect(buckets.take("a", 5).ok).toBe(true);
  });
});
