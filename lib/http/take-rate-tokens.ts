import "server-only";
import { db } from "../db";

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

/**
 * Token buckets in the database, so every portal instance spends from the same allowance: each key
 * holds up to `capacity` tokens and regains `capacity` per `periodMs`, continuously. Takes `count`
 * tokens, or says how long until there are that many.
 *
 * One statement: an upsert whose update runs only when enough tokens are there
 * (`ON CONFLICT … DO UPDATE … WHERE`): PostgreSQL locks the row and checks the condition on its
 * newest version, so concurrent requests on any instance never spend the same token twice. A
 * refusal leaves the row as it is (it keeps refilling). Time is the database's (`now()`), one clock
 * for all instances. The refused branch's wait is read from the same statement's snapshot: it is
 * advice for Retry-After, not part of the decision.
 */
export async function takeRateTokens(options: {
  key: string;
  count: number;
  capacity: number;
  periodMs: number;
}): Promise<TakeResult> {
  const { key, count, capacity, periodMs } = options;
  if (count > capacity) return { ok: false, retryAfterMs: periodMs }; // never possible: the caller must split
  const perMs = capacity / periodMs;
  const [row] = await db().$queryRaw<Array<{ remaining: number | null; available: number | null }>>`
    WITH taken AS (
      INSERT INTO "RateLimitBucket" AS bucket (key, tokens, "refilledAt")
      VALUES (${key}, ${capacity}::float8 - ${count}::float8, now())
      ON CONFLICT (key) DO UPDATE
        SET tokens = LEAST(${capacity}::float8, bucket.tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - bucket."refilledAt") * 1000) * ${perMs}::float8) - ${count}::float8,
            "refilledAt" = now()
        WHERE LEAST(${capacity}::float8, bucket.tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - bucket."refilledAt") * 1000) * ${perMs}::float8) >= ${count}::float8
      RETURNING tokens
    )
    SELECT
      (SELECT tokens FROM taken) AS remaining,
      (SELECT LEAST(${capacity}::float8, tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - "refilledAt") * 1000) * ${perMs}::float8)
         FROM "RateLimitBucket" WHERE key = ${key}) AS available`;
  if (row?.remaining !== null && row?.remaining !== undefined)
    return { ok: true, remaining: Math.floor(row.remaining) };
  const available = Number(row?.available ?? 0);
  return { ok: false, retryAfterMs: Math.max(1, Math.ceil((count - available) / perMs)) };
}
