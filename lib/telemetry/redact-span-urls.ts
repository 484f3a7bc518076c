/**
 * URLs on spans (Next.js' `http.target`, its fetch spans' `http.url`) carry what must not leave the
 * portal: the purchase token on `/landing?token=…` (also inside `/signin?callbackUrl=…`), the
 * authorization code on the sign-in callback, an invitation token in `/account/invitations/…`, and
 * an admin's search text. So every query value and every secret path segment is replaced before a
 * span is exported; names, paths and routes stay. The spans' names never hold a query (Next.js names
 * them by route).
 */
import type { Context } from "@opentelemetry/api";
import type { Span, SpanProcessor } from "@opentelemetry/sdk-trace-node";

const URL_ATTRIBUTES = ["http.target", "http.url", "url.full", "url.query", "url.path"] as const;
/** Path segments that are secrets: the segment after these is replaced. */
const SECRET_SEGMENTS = [/(\/account\/invitations\/)[^/?#]+/g];
export const REDACTED = "[redacted]";

/** A URL or request target with every query value and secret path segment replaced. */
export function redactUrl(value: string): string {
  const queryAt = value.indexOf("?");
  const hashAt = value.indexOf("#");
  const pathEnd = Math.min(...[queryAt, hashAt, value.length].filter((at) => at >= 0));
  let path = value.slice(0, pathEnd);
  for (const pattern of SECRET_SEGMENTS) path = path.replace(pattern, `$1${REDACTED}`);
  if (queryAt < 0) return path;
  const query = value.slice(queryAt + 1, hashAt > queryAt ? hashAt : undefined);
  const names = query
    .split("&")
    .filter(Boolean)
    .map((pair) => `${pair.split("=")[0]}=${REDACTED}`);
  return `${path}?${names.join("&")}`;
}

function redactSpan(span: Span) {
  for (const key of URL_ATTRIBUTES) {
    const value = span.attributes[key];
    if (typeof value === "string") {
      const redacted = key === "url.query" ? redactUrl(`?${value}`).slice(1) : redactUrl(value);
      if (redacted !== value) span.setAttribute(key, redacted);
    }
  }
}

/** Runs first among the span processors: on start and again just before the span ends (still writable then). */
export const redactSpanUrls: SpanProcessor = {
  onStart: (span: Span, _context: Context) => redactSpan(span),
  onEnding: (span: Span) => redactSpan(span),
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
