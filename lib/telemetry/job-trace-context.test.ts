import { context, createTraceState, trace, TraceFlags } from "@opentelemetry/api";
import {
  AlwaysOffSampler,
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type Sampler,
} from "@opentelemetry/sdk-trace-node";
import { afterEach, describe, expect, it } from "vitest";
import { JOB_TRACE_CONTEXT_KEY, splitJobData, withJobTraceContext } from "./job-trace-context";
import { withSpan } from "./telemetry";

let provider: NodeTracerProvider | undefined;
const exporter = new InMemorySpanExporter();

/** The SDK as start-telemetry registers it (context manager, tracer), exporting into memory. */
function telemetryOn(sampler?: Sampler) {
  provider = new NodeTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
}

afterEach(async () => {
  exporter.reset();
  await provider?.shutdown();
  provider = undefined;
  trace.disable();
  context.disable();
});

describe("with telemetry off", () => {
  it("a job's data is its payload, the same object, with no trace context", async () => {
    const payload = { eventId: "e-1" };
    await withSpan("a request", {}, async () => {
      expect(withJobTraceContext(payload)).toBe(payload);
    });
  });
});

describe("with telemetry on", () => {
  it("a job enqueued inside a span carries its traceparent; its run is a new trace linked to that span", async () => {
    telemetryOn();
    const { data, request } = await withSpan("a request", {}, async (span) => ({
      data: withJobTraceContext({ eventId: "e-1" }) as Record<string, unknown>,
      request: span.spanContext(),
    }));
    expect(data).toEqual({
      eventId: "e-1",
      [JOB_TRACE_CONTEXT_KEY]: { traceparent: `00-${request.traceId}-${request.spanId}-01` },
    });

    // Through JSON, as pg-boss stores it.
    const { payload, links } = splitJobData(JSON.parse(JSON.stringify(data)));
    expect(payload).toEqual({ eventId: "e-1" });
    await withSpan("job probe", { root: true, links }, async () => undefined);
    const job = exporter.getFinishedSpans().find((span) => span.name === "job probe")!;
    expect(job.spanContext().traceId).not.toBe(request.traceId);
    expect(job.parentSpanContext).toBeUndefined();
    expect(job.links).toHaveLength(1);
    expect(job.links[0]!.context).toMatchObject({
      traceId: request.traceId,
      spanId: request.spanId,
      traceFlags: TraceFlags.SAMPLED,
    });
  });

  it("the tracestate goes along with the traceparent", async () => {
    telemetryOn();
    const tracer = trace.getTracer("test");
    const parent = tracer.startSpan("upstream");
    const withState = trace.setSpanContext(context.active(), {
      ...parent.spanContext(),
      traceState: createTraceState("vendor=a1"),
    });
    const data = context.with(withState, () => withJobTraceContext({ n: 1 })) as Record<string, unknown>;
    parent.end();
    expect(data[JOB_TRACE_CONTEXT_KEY]).toEqual({
      traceparent: `00-${parent.spanContext().traceId}-${parent.spanContext().spanId}-01`,
      tracestate: "vendor=a1",
    });
    expect(splitJobData(data).links[0]!.context.traceState?.get("vendor")).toBe("a1");
  });

  it("outside any span, or inside one that is not sampled, nothing is carried", async () => {
    telemetryOn(new AlwaysOffSampler());
    const payload = { n: 1 };
    expect(withJobTraceContext(payload)).toBe(payload);
    await withSpan("not sampled", {}, async () => {
      expect(withJobTraceContext(payload)).toBe(payload);
    });
  });
});

describe("a job's stored data", () => {
  it("without a trace context (enqueued before it existed, or by a schedule) is the payload as it is, with no link", () => {
    const data = { operationId: "op-1", poll: 2 };
    expect(splitJobData(data)).toEqual({ payload: data, links: [] });
    expect(splitJobData(null)).toEqual({ payload: null, links: [] });
  });

  it("with a trace context that is not a valid traceparent loses the key and gets no link", () => {
    for (const carried of [
      "00-abc",
      { traceparent: "garbage" },
      { traceparent: `00-${"0".repeat(32)}-${"1".repeat(16)}-01` }, // all-zero trace id: invalid
      { traceparent: `ff-${"a".repeat(32)}-${"1".repeat(16)}-01` }, // unknown version
      null,
    ])
      expect(splitJobData({ eventId: "e-1", [JOB_TRACE_CONTEXT_KEY]: carried })).toEqual({
        payload: { eventId: "e-1" },
        links: [],
      });
  });
});
