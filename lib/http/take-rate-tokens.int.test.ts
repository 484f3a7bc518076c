/**
 * The shared token buckets on a real database (PostgreSQL and PGlite): a burst up to the
 * capacity, then a refusal that says how long to wait; refill over time; keys apart; and many
 * takes at once never spending the same token twice (on PostgreSQL they run on separate
 * connections, as requests on several instances do).
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { takeRateTokens } from "./take-rate-tokens";

afterAll(async () => {
  await disconnectDatabase();
});

const bucket = () => `test:${randomUUID()}`;

describe("takeRateTokens", () => {
  it("allows a burst up to the capacity, then refuses with the wait until enough tokens are back", async () => {
    const key = bucket();
    const limit = { key, capacity: 60, periodMs: 60_000 };
    expect(await takeRateTokens({ ...limit, count: 50 })).toEqual({ ok: true, remaining: 10 });
    expect(await takeRateTokens({ ...limit, count: 10 })).toEqual({ ok: true, remaining: 0 });
    const refused = await takeRateTokens({ ...limit, count: 5 });
    expect(refused.ok).toBe(false);
    // 5 tokens at one a second: about 5 s (less the few milliseconds since the last take).
    if (!refused.ok) expect(refused.retryAfterMs).toBeGreaterThan(4000);
    if (!refused.ok) expect(refused.retryAfterMs).toBeLessThanOrEqual(5000);
    // The refusal spent nothing; more than the capacity is never possible.
    expect(await takeRateTokens({ ...limit, count: 61 })).toEqual({ ok: false, retryAfterMs: 60_000 });
    // Another key has its own allowance.
    expect(await takeRateTokens({ ...limit, key: bucket(), count: 60 })).toEqual({ ok: true, remaining: 0 });
  });

  it("refills continuously, never above the capacity", async () => {
    const limit = { key: bucket(), capacity: 10, periodMs: 1000 };
    expect(await takeRateTokens({ ...limit, count: 10 })).toEqual({ ok: true, remaining: 0 });
    expect((await takeRateTokens({ ...limit, count: 5 })).ok).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 600)); // 6 tokens back
    expect((await takeRateTokens({ ...limit, count: 5 })).ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // far more than 10 would be back
    expect(await takeRateTokens({ ...limit, count: 10 })).toEqual({ ok: true, remaining: 0 });
  });

  it("spends each token once when many take at the same moment", async () => {
    const limit = { key: bucket(), capacity: 25, periodMs: 3_600_000 };
    const results = await Promise.all(Array.from({ length: 60 }, () => takeRateTokens({ ...limit, count: 1 })));
    expect(results.filter((result) => result.ok)).toHaveLength(25);
    const [row] = await db().rateLimitBucket.findMany({ where: { key: limit.key } });
    expect(row?.tokens).toBeLessThan(1);
  });
});
