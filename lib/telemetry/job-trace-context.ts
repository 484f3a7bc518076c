/**
 * A job's link to the span that enqueued it (docs/decisions/0017). A job enqueued inside a traced
 * request, server action or job carries that span's W3C trace context (`traceparent`, and
 * `tracestate` when there is one) in its data, under JOB_TRACE_CONTEXT_KEY; when it runs, its span
 * (`job <name>`, a trace of its own) gets a span *link* to it. A link, not a parent: a job may run
 * long after the request ended, or again on a retry, and must not stretch the request's trace.
 *
 * API only. With telemetry off there is no context manager and no active span: nothing is written
 * and no link made, at the cost of one lookup. Jobs without the key (enqueued before it existed,
 * scheduled, or outside any span) run as before, without a link; a value that is not a valid
 * traceparent is ignored.
 */
import {
  context,
  createTraceState,
  isSpanContextValid,
  trace,
  TraceFlags,
  type Link,
  type SpanContext,
} from "@opentelemetry/api";

/** The key of a job's data that holds the enqueuing span's trace context; never a payload field. */
export const JOB_TRACE_CONTEXT_KEY = "_traceContext";

export interface JobTraceContext {
  traceparent: string;
  tracestate?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The active span's context as W3C trace context; undefined outside a sampled span (and always with telemetry off). */
export function activeTraceContext(): JobTraceContext | undefined {
  const span = trace.getSpanContext(context.active());
  if (!span || !isSpanContextValid(span) || (span.traceFlags & TraceFlags.SAMPLED) === 0) return undefined;
  const traceparent = `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, "0")}`;
  const tracestate = span.traceState?.serialize();
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/** A job's data as it is stored: the payload, plus the enqueuing span's trace context when there is one. */
export function withJobTraceContext(payload: object): object {
  const carried = activeTraceContext();
  if (!carried || Array.isArray(payload)) return payload;
  return { ...payload, [JOB_TRACE_CONTEXT_KEY]: carried };
}

/** The span context a traceparent (and tracestate) names, or undefined when it is not one. */
export function parseTraceContext(carried: unknown): SpanContext | undefined {
  if (!carried || typeof carried !== "object") return undefined;
  const { traceparent, tracestate } = carried as Partial<Record<keyof JobTraceContext, unknown>>;
  const match = typeof traceparent === "string" ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return undefined;
  const spanContext: SpanContext = {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16),
    isRemote: true,
    ...(typeof tracestate === "string" && tracestate ? { traceState: createTraceState(tracestate) } : {}),
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * Splits a job's stored data into its payload (what the job's schema checks) and the links its
 * span gets: one to the enqueuing span when the data carries a valid trace context, else none.
 */
export function splitJobData(data: unknown): { payload: unknown; links: Link[] } {
  if (!data || typeof data !== "object" || Array.isArray(data) || !(JOB_TRACE_CONTEXT_KEY in data))
    return { payload: data, links: [] };
  const { [JOB_TRACE_CONTEXT_KEY]: carried, ...payload } = data as Record<string, unknown>;
  const linked = parseTraceContext(carried);
  return { payload, links: linked ? [{ context: linked, attributes: { "portal.link": "enqueued_by" } }] : [] };
}
