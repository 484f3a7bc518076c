/**
 * How the answer-shaping variants (variants.ts) rewrite a Fulfillment API answer. Pure
 * functions of the route and the documented answer; the gateway applies them through
 * `Variants.shapeAnswer`.
 */
import type { ApiResult, ApiRouteName } from "./api-gateway";

/** text-bodies: the answers the contract gives no body (marketplace-contract.md §6.2, §6.6–§6.8, §7.3, §15.13). */
const TEXT_BODIES: Partial<Record<ApiRouteName, string>> = {
  activate: "OK",
  updateOperation: "OK",
  updateSubscription: "Accepted",
  deleteSubscription: "Accepted",
};

export function withTextBody(route: ApiRouteName, result: ApiResult): ApiResult {
  const text = TEXT_BODIES[route];
  if (text === undefined || !isSuccess(result) || result.body !== undefined) return result;
  // A string body is sent as text/plain by the gateway.
  return { ...result, body: text };
}

/** bare-arrays: the list inside the documented wrapper, on its own (`[]` for the empty `{}`). */
const WRAPPED_LISTS: Partial<Record<ApiRouteName, string>> = {
  listOperations: "operations",
  listAvailablePlans: "plans",
};

export function withBareArray(route: ApiRouteName, result: ApiResult): ApiResult {
  const key = WRAPPED_LISTS[route];
  if (key === undefined || !isSuccess(result) || !isRecord(result.body)) return result;
  const list = result.body[key];
  return { ...result, body: Array.isArray(list) ? list : [] };
}

/** unknown-fields: only the Fulfillment API's answers; the Metering API keeps its shapes. */
const FULFILLMENT_ROUTES: ReadonlySet<ApiRouteName> = new Set([
  "resolve",
  "listSubscriptions",
  "getSubscription",
  "updateSubscription",
  "deleteSubscription",
  "listAvailablePlans",
  "activate",
  "listOperations",
  "getOperation",
  "updateOperation",
]);

/** Fields no version of the contract has: a client must ignore them. */
export const UNKNOWN_FIELDS = {
  "x-sandbox-extra": { note: "Undocumented field (sandbox variant unknown-fields)", revision: 2 },
  futureField: "reserved-for-future-use",
} as const;

/** Microsoft's samples show statuses with a stray trailing space (e.g. `"Succeeded "`). */
const STATUS_KEYS: ReadonlySet<string> = new Set(["saasSubscriptionStatus", "status"]);

export function withUnknownFields(route: ApiRouteName, result: ApiResult): ApiResult {
  if (
    !FULFILLMENT_ROUTES.has(route) ||
    !isSuccess(result) ||
    result.body === undefined ||
    typeof result.body === "string"
  )
    return result;
  return { ...result, body: decorate(result.body) };
}

/** Every object, however deep, gets the unknown fields; status strings get the trailing space. */
function decorate(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decorate);
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] = STATUS_KEYS.has(key) && typeof field === "string" ? `${field} ` : decorate(field);
  }
  return { ...copy, ...structuredClone(UNKNOWN_FIELDS) };
}

function isSuccess(result: ApiResult): boolean {
  return result.status >= 200 && result.status < 300;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const REASONS: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * Variant html-errors: the error page a load balancer or gateway in front of an API sends (text/html,
 * a few kilobytes of markup and inline style), as a client that expects JSON meets it. The marker
 * comment lets a test prove that none of it reached a log or a page.
 */
export function htmlErrorPage(status: number): ApiResult {
  const title = `${status} ${REASONS[status] ?? "Server Error"}`;
  const style = "body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:0;padding:2em;color:#222}".repeat(8);
  const body = [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${title}</title>`,
    `<style>${style}</style>`,
    "</head><body>",
    "<!-- sandbox-html-error-page -->",
    `<h1>${title}</h1>`,
    `<p>The server encountered a temporary error and could not complete your request.</p>`,
    `<p>Reference: ${"0123456789abcdef".repeat(16)}</p>`,
    "<hr><address>sandbox gateway</address>",
    "</body></html>",
  ].join("\n");
  return { status, body, headers: { "content-type": "text/html" } };
}

/** no-operation-location: a 202 to PATCH/DELETE subscription without the headers that name its operation (§15.16). */
export function withoutOperationLocation(route: ApiRouteName, result: ApiResult): ApiResult {
  if ((route !== "updateSubscription" && route !== "deleteSubscription") || result.status !== 202) return result;
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).filter(
      ([name]) => !["operation-location", "operation-id"].includes(name.toLowerCase()),
    ),
  );
  return { ...result, headers };
}
