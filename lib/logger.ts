/**
 * Structured, one-line JSON logs. Values under keys that can hold secrets or purchase tokens are
 * redacted, whatever their depth, so a careless call site cannot leak them. A line written inside
 * a traced request, job or call carries its `trace_id` and `span_id` (README "OpenTelemetry");
 * with telemetry off there is never an active span, and the lookup costs next to nothing.
 */
import { isSpanContextValid, trace } from "@opentelemetry/api";

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /token|secret|password|authorization|cookie|assertion|private[-_]?key|api[-_]?key/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[depth]";
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) ? "[redacted]" : redact(item, depth + 1)]),
    );
  }
  return value;
}

function threshold(): number {
  const configured = process.env.LOG_LEVEL as Level | undefined; // read here: the logger must work before env validation
  return order[configured ?? (process.env.NODE_ENV === "test" ? "warn" : "info")] ?? order.info;
}

function write(level: Level, message: string, context?: Record<string, unknown>) {
  if (order[level] < threshold()) return;
  const span = trace.getActiveSpan()?.spanContext();
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    message,
    ...(span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {}),
    ...(context ? (redact(context) as object) : {}),
  });
  // Only errors go to console.error: `next dev` shows every console.error as an issue in its
  // overlay, and a warning is an expected refusal (a bad purchase link, a forged webhook).
  const sink = level === "error" ? console.error : level === "warn" ? console.warn : console.log;
  sink(line);
}

export const logger = {
  debug: (message: string, context?: Record<string, unknown>) => write("debug", message, context),
  info: (message: string, context?: Record<string, unknown>) => write("info", message, context),
  warn: (message: string, context?: Record<string, unknown>) => write("warn", message, context),
  error: (message: string, context?: Record<string, unknown>) => write("error", message, context),
};
