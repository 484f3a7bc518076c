/**
 * Tests whose data is keyed by the UTC clock hour (metered usage) read the real clock in several
 * places — the test, the portal's ingest and submission, the sandbox's Metering API — so a test
 * that straddles the top of an hour sees two different "current hours". Called before each such
 * test: when the next hour starts within `marginMs`, wait until it has started, so every test has
 * at least that long inside one hour.
 */
export async function awayFromHourBoundary(marginMs = 20_000): Promise<void> {
  const hour = 3_600_000;
  const untilNextHour = hour - (Date.now() % hour);
  if (untilNextHour < marginMs) await new Promise((resolve) => setTimeout(resolve, untilNextHour + 250));
}

/**
 * Moves a subscription's scheduled notifications `hours` nearer — as if that much time had
 * passed for them: their due times (notBefore, nextAttemptAt) and their send jobs' start times
 * are brought forward, and the workers are woken. Reminders are booked hours ahead; a test does
 * not wait for them.
 */
export async function bringScheduledSendsForward(subscriptionId: string, hours: number): Promise<void> {
  const { db, Prisma } = await import("@/lib/db");
  const { wakeWorkers } = await import("@/lib/jobs/wake");
  const shift = Prisma.raw(`interval '${Number(hours)} hours'`);
  const queued = await db().notification.findMany({
    where: { subscriptionId, status: "queued" },
    select: { id: true },
  });
  const ids = queued.map((row) => row.id);
  if (ids.length === 0) return;
  await db().$transaction([
    db()
      .$executeRaw`UPDATE "Notification" SET "notBefore" = "notBefore" - ${shift}, "cycleStartedAt" = "cycleStartedAt" - ${shift},
      "nextAttemptAt" = "nextAttemptAt" - ${shift} WHERE id = ANY(${ids})`,
    db().$executeRaw`UPDATE pgboss.job SET start_after = start_after - ${shift}
      WHERE name = 'send-notification' AND state IN ('created', 'retry') AND data ->> 'notificationId' = ANY(${ids})`,
  ]);
  wakeWorkers();
}
