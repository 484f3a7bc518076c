/**
 * One background job, defined once next to the code it runs: its name, the schema of its
 * payload, the key that keeps it unique while waiting, its retry policy and, for recurring work,
 * its schedule. Producers enqueue through the definition (lib/jobs/enqueue.ts), so a payload that
 * does not fit is a type error; the worker parses it again, so one that slipped through (an old
 * job, a hand-written row) fails with the reason instead of running on bad data.
 *
 * A payload field may not be named `_traceContext`: the stored data carries the enqueuing span's
 * trace context under that key (lib/telemetry/job-trace-context.ts), removed before the payload is parsed.
 */
import type { z } from "zod";

export interface JobContext {
  /** pg-boss job id. */
  id: string;
  /** Earlier attempts of this job (0 on the first run). */
  retryCount: number;
}

export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  /** The queue name; never reuse one for another payload. */
  name: string;
  payload: Schema;
  /**
   * At most one waiting (and one running) job per key in this queue: enqueuing a second one while
   * the first waits changes nothing (e.g. one acknowledgement per operation).
   */
  key: (payload: z.output<Schema>) => string;
  retry: { limit: number; delaySeconds: number; backoff: boolean };
  /** A job still running after this long is taken as dead (its process crashed) and retried. */
  expireInSeconds: number;
  /** Jobs of this kind run at the same time in one process (default 1). */
  concurrency?: number;
  /** Recurring work: a cron expression (UTC), or null when switched off by configuration. */
  schedule?: () => { cron: string; payload: z.input<Schema> } | null;
  run: (payload: z.output<Schema>, context: JobContext) => Promise<void>;
}

export function defineJob<Schema extends z.ZodType>(definition: JobDefinition<Schema>): JobDefinition<Schema> {
  return definition;
}
