/**
 * Old events go (with their deliveries and attempts, by cascade) once none of their deliveries
 * still waits for an attempt: a delivered or dead-lettered event older than the retention period
 * (EVENT_RETENTION_DAYS) is no longer replayable. Sequence counters stay, so numbering never restarts.
 */
import "server-only";
import { db } from "../db";

export async function pruneEvents(before: Date): Promise<number> {
  const deleted = await db().outboxEvent.deleteMany({
    where: { createdAt: { lt: before }, deliveries: { none: { status: "pending" } } },
  });
  return deleted.count;
}
