/**
 * What the portal reports to OpenTelemetry (README "OpenTelemetry", docs/decisions/0017): spans
 * around work Next.js does not see (marketplace calls, jobs, server actions) and the portal's
 * metrics, one call at the place where each thing happens.
 *
 * Only the OpenTelemetry API is used here. With telemetry off no SDK is loaded, the API's tracer and
 * meter are no-ops, and every call below costs next to nothing, so call sites need no condition.
 * The SDK (lib/telemetry/start-telemetry.ts) registers itself globally; the instruments are made
 * once per registered meter provider and kept on globalThis, shared by every Next.js bundle.
 */
import {
  context,
  metrics,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type Link,
  type Meter,
  type MeterProvider,
  type Span,
} from "@opentelemetry/api";

/** The instrumentation scope of the portal's own spans and metrics. */
export const TELEMETRY_SCOPE = "marketplace-portal";

export type WebhookDeliveryOutcome = "accepted" | "duplicate" | "refused" | "failed";

export interface JobQueueStat {
  /** The job's name (its queue). */
  name: string;
  /** Jobs ready to run and not yet started. */
  depth: number;
  /** How long the oldest of them has been ready (seconds; 0 when none waits). */
  oldestAgeSeconds: number;
}

/** Durations of calls: from a few milliseconds to a timeout with retries. */
const CALL_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** From a webhook's arrival to Microsoft taking our answer: Microsoft waits 10 seconds before it decides alone. */
const ACKNOWLEDGEMENT_SECONDS = [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 30, 60, 300, 3600];
const JOB_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

function makeInstruments(meter: Meter) {
  return {
    meter,
    webhookDeliveries: meter.createCounter("portal.webhook.deliveries", {
      description:
        "Deliveries of Microsoft's webhook, by outcome: accepted, duplicate, refused (401/400/413), failed (503)",
      unit: "{delivery}",
    }),
    acknowledgementDuration: meter.createHistogram("portal.acknowledgement.duration", {
      description: "From a webhook's arrival to Microsoft accepting the portal's Success/Failure for its operation",
      unit: "s",
      advice: { explicitBucketBoundaries: ACKNOWLEDGEMENT_SECONDS },
    }),
    marketplaceCallDuration: meter.createHistogram("portal.marketplace.call.duration", {
      description: "Calls to Microsoft's marketplace API (Fulfillment, Operations, Metering), retries included",
      unit: "s",
      advice: { explicitBucketBoundaries: CALL_SECONDS },
    }),
    marketplaceCallErrors: meter.createCounter("portal.marketplace.call.errors", {
      description: "Calls to Microsoft's marketplace API that ended in an error, by operation and kind",
      unit: "{call}",
    }),
    jobDuration: meter.createHistogram("portal.job.duration", {
      description: "Runs of background jobs, by job and outcome",
      unit: "s",
      advice: { explicitBucketBoundaries: JOB_SECONDS },
    }),
    usageIngested: meter.createCounter("portal.usage.records.ingested", {
      description: "Usage records the product reported that were stored (replays of a stored record not counted)",
      unit: "{record}",
    }),
    usageRefused: meter.createCounter("portal.usage.records.refused", {
      description: "Usage records refused at ingest, by refusal code",
      unit: "{record}",
    }),
    usageSubmitted: meter.createCounter("portal.usage.events.submitted", {
      description:
        "Usage events (a subscription, dimension and hour) sent to Microsoft's Metering API, by outcome: accepted, duplicate, failed (rejected), expired, held, pending (to retry)",
      unit: "{event}",
    }),
    observingQueues: false,
  };
}
type Instruments = ReturnType<typeof makeInstruments>;

const KEY = Symbol.for("marketplace-portal.telemetry.instruments");
const holder = globalThis as typeof globalThis & { [KEY]?: { provider: MeterProvider; instruments: Instruments } };

/** The instruments of the meter provider registered now (the API's no-op one while telemetry is off). */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  const cached = holder[KEY];
  if (cached?.provider === provider) return cached.instruments;
  const made = makeInstruments(provider.getMeter(TELEMETRY_SCOPE));
  holder[KEY] = { provider, instruments: made };
  return made;
}

const seconds = (ms: number) => ms / 1000;

export const telemetry = {
  webhookDelivery(outcome: WebhookDeliveryOutcome, status: number) {
    instruments().webhookDeliveries.add(1, { outcome, "http.response.status_code": status });
  },

  acknowledgement(options: { durationMs: number; answer: string; outcome: string; action: string }) {
    instruments().acknowledgementDuration.record(seconds(options.durationMs), {
      "marketplace.acknowledgement.answer": options.answer,
      "marketplace.acknowledgement.outcome": options.outcome,
      "marketplace.webhook.action": options.action,
    });
  },

  marketplaceCall(options: { operation: string; durationMs: number; status?: number; errorKind?: string }) {
    const attributes: Attributes = { "marketplace.operation": options.operation };
    if (options.status !== undefined) attributes["http.response.status_code"] = options.status;
    if (options.errorKind) attributes["error.type"] = options.errorKind;
    const { marketplaceCallDuration, marketplaceCallErrors } = instruments();
    marketplaceCallDuration.record(seconds(options.durationMs), attributes);
    if (options.errorKind) marketplaceCallErrors.add(1, attributes);
  },

  jobRun(options: { name: string; durationMs: number; outcome: string }) {
    instruments().jobDuration.record(seconds(options.durationMs), {
      "job.name": options.name,
      "job.outcome": options.outcome,
    });
  },

  usageIngested(records: number) {
    if (records > 0) instruments().usageIngested.add(records);
  },

  usageRefused(codes: readonly string[]) {
    const counter: Counter = instruments().usageRefused;
    for (const code of codes) counter.add(1, { "usage.refusal.code": code });
  },

  usageSubmitted(outcomes: ReadonlyArray<{ status: string }>) {
    const counter: Counter = instruments().usageSubmitted;
    for (const outcome of outcomes) counter.add(1, { "usage.outcome": outcome.status });
  },

  /**
   * The job queue's depth and the age of its oldest waiting job, as gauges read when metrics are
   * collected (every OTEL_METRIC_EXPORT_INTERVAL), never on a request's path. A read that fails
   * reports nothing for that round.
   */
  observeJobQueues(read: () => Promise<JobQueueStat[]>) {
    const made = instruments();
    if (made.observingQueues) return;
    made.observingQueues = true;
    const depth = made.meter.createObservableGauge("portal.jobs.queue.depth", {
      description: "Background jobs ready to run and not started, by job",
      unit: "{job}",
    });
    const oldestAge = made.meter.createObservableGauge("portal.jobs.queue.oldest_age", {
      description: "How long the oldest job ready to run has waited, by job",
      unit: "s",
    });
    made.meter.addBatchObservableCallback(
      async (result) => {
        const stats = await read().catch(() => []);
        for (const stat of stats) {
          result.observe(depth, stat.depth, { "job.name": stat.name });
          result.observe(oldestAge, stat.oldestAgeSeconds, { "job.name": stat.name });
        }
      },
      [depth, oldestAge],
    );
  },
};

/** Next.js' redirect() and notFound() are thrown; they are its control flow, not failures. */
function isNextControlFlow(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_");
}

/**
 * Runs `work` inside a new span, the child of the active one (the request's, when Next.js traces
 * it), or a trace of its own with `root`; `links` point at related spans that are not its parent
 * (a job's enqueuer). A thrown error marks the span failed and is rethrown as it is.
 */
export async function withSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; root?: boolean; links?: Link[] },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const spanOptions = {
    kind: options.kind ?? SpanKind.INTERNAL,
    attributes: options.attributes,
    root: options.root,
    links: options.links,
  };
  return trace.getTracer(TELEMETRY_SCOPE).startActiveSpan(name, spanOptions, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      if (!isNextControlFlow(error)) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * A request the portal serves without Next.js (the standalone server's webhook fast path): a SERVER
 * span continuing the caller's W3C `traceparent`, as Next.js's own request spans do.
 */
export function withIncomingRequestSpan<T>(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return context.with(propagation.extract(ROOT_CONTEXT, headers), () =>
    withSpan(name, { kind: SpanKind.SERVER, attributes }, work),
  );
}

/** A server action's span: `server action <name>`, under the request's span. */
export function withServerActionSpan<T>(action: string, work: () => Promise<T>): Promise<T> {
  return withSpan(`server action ${action}`, { attributes: { "portal.server_action": action } }, () => work());
}

export { SpanKind };
