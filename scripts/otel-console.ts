/**
 * npm run otel:console — a local OTLP/HTTP receiver that prints what the portal sends, one line per
 * span and a table of metrics per export. Start it, then the portal with
 *
 *   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 OTEL_EXPORTER_OTLP_PROTOCOL=http/json npm run dev
 *
 * For anything more (search, a timeline, dashboards) point the portal at an OpenTelemetry
 * Collector, Jaeger or Grafana instead (README "OpenTelemetry").
 */
import { startOtlpReceiver, type Attributes, type ReceivedPoint, type ReceivedSpan } from "./otel-receiver";

const port = Number(process.env.OTEL_CONSOLE_PORT ?? 4318);
const kinds = ["unspecified", "internal", "server", "client", "producer", "consumer"];

/** The attributes worth a glance, without the noisy ones Next.js adds to every span. */
function shown(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter(([key]) => !key.startsWith("next.span_") && key !== "next.rsc")
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(" ");
}

function printSpan(span: ReceivedSpan) {
  const status = span.status.code === 2 ? ` ERROR${span.status.message ? ` (${span.status.message})` : ""}` : "";
  const events = span.events.map((event) => ` [${event.name} ${shown(event.attributes)}]`).join("");
  console.log(
    `${span.traceId.slice(0, 8)} ${span.parentSpanId ? "  └" : "●"} ${span.name} ${span.durationMs.toFixed(1)} ms ${kinds[span.kind] ?? span.kind}${status} ${shown(span.attributes)}${events}`,
  );
}

/** The last value printed per series: metrics are cumulative, so only what changed is printed again. */
const printed = new Map<string, string>();

function printPoints(points: ReceivedPoint[]) {
  const changed: string[] = [];
  for (const point of points.filter((candidate) => candidate.metric.startsWith("portal."))) {
    const value =
      point.type === "histogram"
        ? `count=${point.count} mean=${point.count ? ((point.sum ?? 0) / point.count).toFixed(3) : "-"}${point.unit ?? ""}`
        : `${point.value}${point.unit && !point.unit.startsWith("{") ? point.unit : ""}`;
    const series = `${point.metric} ${shown(point.attributes)}`;
    if (printed.get(series) === value) continue;
    printed.set(series, value);
    changed.push(`   ${series} ${value}`);
  }
  if (changed.length === 0) return;
  console.log(`── metrics that changed, ${new Date().toISOString()}`);
  for (const line of changed) console.log(line);
}

const receiver = await startOtlpReceiver({ port });
receiver.onSpans = (spans) => spans.forEach(printSpan);
receiver.onPoints = printPoints;
let warned = false;
const check = setInterval(() => {
  if (receiver.unreadable > 0 && !warned) {
    warned = true;
    console.log("Protobuf received: start the portal with OTEL_EXPORTER_OTLP_PROTOCOL=http/json to read it here.");
  }
}, 1000);
console.log(`OTLP/HTTP (JSON) receiver on ${receiver.url}. Start the portal with:
  OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.url} OTEL_EXPORTER_OTLP_PROTOCOL=http/json npm run dev`);
const stop = () => {
  clearInterval(check);
  void receiver.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
