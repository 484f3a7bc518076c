import "server-only";
import { db, Prisma } from "../db";
import type { JobQueueStat } from "../telemetry/telemetry";
import type { JobDefinition } from "./define-job";
import { JOB_SCHEMA } from "./engine";

/**
 * How many jobs of each kind are ready to run and not started (new, or due for their next
 * attempt), and how long the oldest of them has been ready: the job queue's depth and age for
 * telemetry. Jobs booked for later (a retry's delay, a follow-up's backoff) are not waiting yet.
 * One indexed query (pg-boss's job_i5: name, start_after where not yet active); every defined job
 * is reported, 0 when none waits, so a queue that drains shows it.
 */
export async function readQueueStats(definitions: readonly JobDefinition[]): Promise<JobQueueStat[]> {
  const rows = await db().$queryRaw<Array<{ name: string; depth: number; oldest_age: number | null }>>`
    SELECT name, count(*)::int AS depth, EXTRACT(EPOCH FROM now() - min(start_after))::float8 AS oldest_age
    FROM ${Prisma.raw(`${JOB_SCHEMA}.job`)}
    WHERE state < 'active' AND start_after <= now()
    GROUP BY name`;
  const byName = new Map(rows.map((row) => [row.name, row]));
  return definitions.map((definition) => {
    const row = byName.get(definition.name);
    return {
      name: definition.name,
      depth: row?.depth ?? 0,
      oldestAgeSeconds: Math.max(0, row?.oldest_age ?? 0),
    };
  });
}
