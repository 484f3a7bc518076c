import "server-only";
import { db } from "../db";
import { logger } from "../logger";
import type { JobDefinition } from "./define-job";
import { enqueue } from "./enqueue";

/**
 * Moves the jobs still waiting in the queue the portal used before pg-boss (the `Job` table) into
 * pg-boss, at start-up: each in one transaction with its removal from the old table, so none is
 * lost or doubled, whichever instance starts first. A job of a kind that no longer exists, or whose
 * payload no longer fits, stays where it is and is logged (nothing is dropped).
 */
export async function drainLegacyJobs(definitions: readonly JobDefinition[]): Promise<number> {
  const byName = new Map(definitions.map((definition) => [definition.name, definition]));
  const waiting = await db().legacyJob.findMany({
    where: { status: { in: ["pending", "running"] } },
    orderBy: { id: "asc" },
  });
  let moved = 0;
  for (const job of waiting) {
    const definition = byName.get(job.type);
    const payload = definition?.payload.safeParse(job.payload);
    if (!definition || !payload?.success) {
      logger.warn("a job from the old queue cannot be moved to the new one; left in the Job table", {
        jobId: job.id.toString(),
        type: job.type,
      });
      continue;
    }
    const done = await db().$transaction(async (tx) => {
      const removed = await tx.legacyJob.deleteMany({ where: { id: job.id, status: { in: ["pending", "running"] } } });
      if (removed.count === 0) return false; // another instance moved it
      await enqueue(tx, definition, payload.data, { startAfter: job.runAt });
      return true;
    });
    if (done) moved += 1;
  }
  if (moved > 0) logger.info("jobs moved from the old queue to pg-boss", { moved });
  return moved;
}
