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
