/**
 * A tiny OTLP/HTTP receiver (JSON encoding, OTEL_EXPORTER_OTLP_PROTOCOL=http/json) for tests and
 * `npm run otel:console`: it accepts POST /v1/traces and /v1/metrics as a collector does, and keeps
 * what arrived as flat spans and metric points. `blackHole` takes every request and never answers,
 * like a collector that hangs. Not a collector: no protobuf, no gRPC, nothing forwarded.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";

type Attribute = string | number | boolean | null | Attribute[];
export type Attributes = Record<string, Attribute>;

export interface ReceivedSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Attributes;
  events: Array<{ name: string; attributes: Attributes }>;
  /** Spans this one is linked to (e.g. a job's to the request that enqueued it), not its parents. */
  links: Array<{ traceId: string; spanId: string; attributes: Attributes }>;
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
  durationMs: number;
  scope: string;
  resource: Attributes;
}

export interface ReceivedPoint {
  metric: string;
  unit?: string;
  type: "sum" | "gauge" | "histogram";
  attributes: Attributes;
  /** Sums and gauges. */
  value?: number;
  /** Histograms. */
  count?: number;
  sum?: number;
  scope: string;
  resource: Attributes;
}

interface OtlpValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpValue;
}
interface OtlpResource {
  attributes?: OtlpKeyValue[];
}
interface OtlpScope {
  name?: string;
}
interface OtlpTraces {
  resourceSpans?: Array<{
    resource?: OtlpResource;
    scopeSpans?: Array<{
      scope?: OtlpScope;
      spans?: Array<{
        name: string;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        kind?: number;
        startTimeUnixNano?: string | number;
        endTimeUnixNano?: string | number;
        attributes?: OtlpKeyValue[];
        events?: Array<{ name: string; attributes?: OtlpKeyValue[] }>;
        links?: Array<{ traceId: string; spanId: string; attributes?: OtlpKeyValue[] }>;
        status?: { code?: number; message?: string };
      }>;
    }>;
  }>;
}
interface OtlpPoint {
  attributes?: OtlpKeyValue[];
  asInt?: number | string;
  asDouble?: number;
  count?: number | string;
  sum?: number;
}
interface OtlpMetrics {
  resourceMetrics?: Array<{
    resource?: OtlpResource;
    scopeMetrics?: Array<{
      scope?: OtlpScope;
      metrics?: Array<{
        name: string;
        unit?: string;
        sum?: { dataPoints?: OtlpPoint[] };
        gauge?: { dataPoints?: OtlpPoint[] };
        histogram?: { dataPoints?: OtlpPoint[] };
      }>;
    }>;
  }>;
}

function value(raw: OtlpValue | undefined): Attribute {
  if (!raw) return null;
  if (raw.stringValue !== undefined) return raw.stringValue;
  if (raw.boolValue !== undefined) return raw.boolValue;
  if (raw.intValue !== undefined) return Number(raw.intValue);
  if (raw.doubleValue !== undefined) return raw.doubleValue;
  if (raw.arrayValue) return (raw.arrayValue.values ?? []).map(value);
  return null;
}

export function flatAttributes(list: OtlpKeyValue[] | undefined): Attributes {
  return Object.fromEntries((list ?? []).map((entry) => [entry.key, value(entry.value)]));
}

export function flatSpans(body: OtlpTraces): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((resourceSpans) =>
    (resourceSpans.scopeSpans ?? []).flatMap((scopeSpans) =>
      (scopeSpans.spans ?? []).map((span) => ({
        name: span.name,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId || undefined,
        kind: span.kind ?? 0,
        attributes: flatAttributes(span.attributes),
        events: (span.events ?? []).map((event) => ({
          name: event.name,
          attributes: flatAttributes(event.attributes),
        })),
        links: (span.links ?? []).map((link) => ({
          traceId: link.traceId,
          spanId: link.spanId,
          attributes: flatAttributes(link.attributes),
        })),
        status: { code: span.status?.code ?? 0, message: span.status?.message },
        durationMs: (Number(span.endTimeUnixNano ?? 0) - Number(span.startTimeUnixNano ?? 0)) / 1e6,
        scope: scopeSpans.scope?.name ?? "",
        resource: flatAttributes(resourceSpans.resource?.attributes),
      })),
    ),
  );
}

export function flatPoints(body: OtlpMetrics): ReceivedPoint[] {
  return (body.resourceMetrics ?? []).flatMap((resourceMetrics) =>
    (resourceMetrics.scopeMetrics ?? []).flatMap((scopeMetrics) =>
      (scopeMetrics.metrics ?? []).flatMap((metric) => {
        const base = {
          metric: metric.name,
          unit: metric.unit,
          scope: scopeMetrics.scope?.name ?? "",
          resource: flatAttributes(resourceMetrics.resource?.attributes),
        };
        const number = (point: OtlpPoint) => Number(point.asInt ?? point.asDouble ?? 0);
        return [
          ...(metric.sum?.dataPoints ?? []).map((point) => ({
            ...base,
            type: "sum" as const,
            attributes: flatAttributes(point.attributes),
            value: number(point),
          })),
          ...(metric.gauge?.dataPoints ?? []).map((point) => ({
            ...base,
            type: "gauge" as const,
            attributes: flatAttributes(point.attributes),
            value: number(point),
          })),
          ...(metric.histogram?.dataPoints ?? []).map((point) => ({
            ...base,
            type: "histogram" as const,
            attributes: flatAttributes(point.attributes),
            count: Number(point.count ?? 0),
            sum: point.sum,
          })),
        ];
      }),
    ),
  );
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  spans: ReceivedSpan[];
  points: ReceivedPoint[];
  /** Export requests that arrived (answered or, for a black hole, not). */
  requests: number;
  /** Bodies that were not JSON (a protobuf exporter). */
  unreadable: number;
  onSpans?: (spans: ReceivedSpan[]) => void;
  onPoints?: (points: ReceivedPoint[]) => void;
  close(): Promise<void>;
}

export async function startOtlpReceiver(options: { port?: number; blackHole?: boolean } = {}): Promise<OtlpReceiver> {
  const sockets = new Set<Socket>();
  const receiver: OtlpReceiver = {
    url: "",
    spans: [],
    points: [],
    requests: 0,
    unreadable: 0,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    receiver.requests += 1;
    void readBody(request).then((text) => {
      if (options.blackHole) return; // taken, never answered
      const path = (request.url ?? "").split("?")[0];
      if (request.method !== "POST" || (path !== "/v1/traces" && path !== "/v1/metrics")) {
        response.writeHead(404).end();
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        receiver.unreadable += 1;
        response.writeHead(415, { "content-type": "application/json" });
        response.end(JSON.stringify({ code: 3, message: "only OTLP/HTTP JSON is read here (http/json)" }));
        return;
      }
      if (path === "/v1/traces") {
        const spans = flatSpans(body as OtlpTraces);
        receiver.spans.push(...spans);
        receiver.onSpans?.(spans);
      } else {
        const points = flatPoints(body as OtlpMetrics);
        receiver.points.push(...points);
        receiver.onPoints?.(points);
      }
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
