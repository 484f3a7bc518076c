/**
 * The OpenTelemetry SDK, started once per process when telemetry is on (lib/startup.ts imports
 * this module only then: with telemetry off no SDK is loaded). Traces and metrics go to an OTLP/HTTP
 * collector, protobuf or JSON (docs/decisions/0017).
 *
 * A collector that is slow, down or a black hole never holds up a request: finished spans wait in
 * a bounded queue (dropped when it is full) and are sent in batches by a timer, metrics are sent by
 * another timer, every export gives up after OTEL_EXPORTER_OTLP_TIMEOUT, and a failure is logged
 * once per outage (report-export-failures.ts).
 */
import "server-only";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import {
  context,
  diag,
  DiagLogLevel,
  metrics,
  propagation,
  ROOT_CONTEXT,
  trace,
  type DiagLogger,
} from "@opentelemetry/api";
import { OTLPMetricExporter as JsonMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtobufMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { defaultResource, resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from "@opentelemetry/sdk-trace-node";
import type { TelemetrySettings } from "../env";
import { logger } from "../logger";
import { redactSpanUrls } from "./redact-span-urls";
import { createExportFailureReporter } from "./report-export-failures";

interface RunningTelemetry {
  tracerProvider?: NodeTracerProvider;
  meterProvider?: MeterProvider;
  reporter: ReturnType<typeof createExportFailureReporter>;
}

const KEY = Symbol.for("marketplace-portal.telemetry.sdk");
const holder = globalThis as typeof globalThis & { [KEY]?: RunningTelemetry };

/** The endpoint as it may be logged: no user name or password, no query. */
function printable(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function sampler(settings: TelemetrySettings["sampler"]): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.ratio);
  switch (settings.name) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return ratio;
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: ratio });
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

const diagLevels = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
} as const;

/** A line about the SDK itself: it belongs to no trace, whatever context an exporter's timer carries. */
const outsideTraces =
  (write: (message: string, details: Record<string, unknown>) => void) =>
  (message: string, details: Record<string, unknown>) =>
    context.with(ROOT_CONTEXT, () => write(message, details));

/** The SDK's own diagnostics, as the portal's log lines (OTEL_LOG_LEVEL). */
const diagLogger: DiagLogger = {
  error: (message, ...args) => outsideTraces(logger.error)(`opentelemetry: ${message}`, { args }),
  warn: (message, ...args) => outsideTraces(logger.warn)(`opentelemetry: ${message}`, { args }),
  info: (message, ...args) => outsideTraces(logger.info)(`opentelemetry: ${message}`, { args }),
  debug: (message, ...args) => outsideTraces(logger.debug)(`opentelemetry: ${message}`, { args }),
  verbose: (message, ...args) => outsideTraces(logger.debug)(`opentelemetry: ${message}`, { args }),
};

/**
 * Starts the SDK and registers it with the OpenTelemetry API (tracer, meter, context and W3C
 * trace-context propagation, which Next.js uses for its request spans). Once per process: a second
 * call changes nothing until stopTelemetry().
 */
export function startTelemetry(settings: TelemetrySettings): void {
  if (holder[KEY] || !settings.enabled) return;
  if (settings.logLevel !== "none") diag.setLogger(diagLogger, diagLevels[settings.logLevel]);
  const reporter = createExportFailureReporter({ warn: outsideTraces(logger.warn), info: outsideTraces(logger.info) });
  const resource = defaultResource().merge(
    resourceFromAttributes({
      "service.instance.id": randomUUID(),
      "host.name": hostname(),
      "process.pid": process.pid,
      ...settings.resourceAttributes,
      "service.name": settings.serviceName,
    }),
  );
  const exporterOptions = (url: string) => ({
    url,
    headers: settings.headers,
    timeoutMillis: settings.timeoutMs,
    // One export at a time is plenty; more would only pile up against a collector that does not answer.
    concurrencyLimit: 2,
  });
  const running: RunningTelemetry = { reporter };

  if (settings.traces) {
    const { url, protocol } = settings.traces;
    const exporter = reporter.watch(
      "traces",
      printable(url),
      protocol === "http/json"
        ? new JsonTraceExporter(exporterOptions(url))
        : new ProtobufTraceExporter(exporterOptions(url)),
    );
    running.tracerProvider = new NodeTracerProvider({
      resource,
      sampler: sampler(settings.sampler),
      spanProcessors: [
        redactSpanUrls, // before export: no purchase token, code or invitation in a URL attribute
        new BatchSpanProcessor(exporter, {
          scheduledDelayMillis: settings.spanExportDelayMs,
          maxQueueSize: settings.spanQueueSize,
          maxExportBatchSize: Math.min(512, settings.spanQueueSize),
          exportTimeoutMillis: settings.timeoutMs,
        }),
      ],
    });
    running.tracerProvider.register();
  }

  if (settings.metrics) {
    const { url, protocol } = settings.metrics;
    const exporter = reporter.watch(
      "metrics",
      printable(url),
      protocol === "http/json"
        ? new JsonMetricExporter(exporterOptions(url))
        : new ProtobufMetricExporter(exporterOptions(url)),
    );
    running.meterProvider = new MeterProvider({
      resource,
      readers: [
        new PeriodicExportingMetricReader({
          exporter,
          exportIntervalMillis: settings.metricExportIntervalMs,
          exportTimeoutMillis: Math.min(settings.timeoutMs, settings.metricExportIntervalMs),
        }),
      ],
    });
    metrics.setGlobalMeterProvider(running.meterProvider);
  }

  holder[KEY] = running;
  logger.info("OpenTelemetry started", {
    serviceName: settings.serviceName,
    traces: settings.traces ? { endpoint: printable(settings.traces.url), protocol: settings.traces.protocol } : "off",
    metrics: settings.metrics
      ? { endpoint: printable(settings.metrics.url), protocol: settings.metrics.protocol }
      : "off",
  });
}

/** Sends what is buffered now (bounded by the export timeout); for tests and shutdown. */
export async function flushTelemetry(): Promise<void> {
  const running = holder[KEY];
  if (!running) return;
  await Promise.allSettled([running.tracerProvider?.forceFlush(), running.meterProvider?.forceFlush()]);
}

/** Flushes what is buffered, then unregisters the SDK from the API (the API's no-ops again). */
export async function stopTelemetry(): Promise<void> {
  const running = holder[KEY];
  if (!running) return;
  holder[KEY] = undefined;
  await Promise.allSettled([running.tracerProvider?.shutdown(), running.meterProvider?.shutdown()]);
  trace.disable();
  context.disable();
  propagation.disable();
  metrics.disable();
  diag.disable();
}
