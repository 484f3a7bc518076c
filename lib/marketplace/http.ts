/**
 * One HTTP call to the marketplace API with Microsoft's conventions (marketplace-contract.md §3):
 * api-version, bearer token, x-ms-requestid per attempt and x-ms-correlationid per logical
 * operation, a timeout per attempt, and retries with exponential backoff and full jitter on
 * 429/5xx/network errors, honouring Retry-After.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { SpanKind, telemetry, withSpan } from "../telemetry/telemetry";
import { isMarketplaceError, kindForStatus, MarketplaceError } from "./errors";

export const API_VERSION = "2018-08-31";

export interface HttpSettings {
  baseUrl: string;
  /** `skipCache`: a token fresh from Entra, not a cached one (after a 403, marketplace-contract.md §10.2). */
  getAccessToken: (options?: { skipCache?: boolean }) => Promise<string>;
  timeoutMs: number;
  maxRetries: number;
  /** First backoff step; doubles per attempt (full jitter). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Longest Retry-After we are willing to wait inside one call. */
  maxRetryAfterMs?: number;
  onEvent?: (event: HttpEvent) => void;
}

export interface HttpEvent {
  operation: string;
  method: string;
  path: string;
  attempt: number;
  status?: number;
  durationMs: number;
  requestId: string;
  correlationId: string;
  outcome: "ok" | "retry" | "error";
  error?: string;
}

export type RetryPolicy =
  /** GETs, resolve, operation PATCH, usage events: safe to repeat (marketplace-contract.md §10.3). */
  | "idempotent"
  /** PATCH/DELETE subscription, Activate: only retried when Microsoft refused to process it (429). */
  | "throttle-only";

export interface MarketplaceRequest<T> {
  operation: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path below the API base (e.g. /saas/subscriptions/{id}), or an absolute URL from Microsoft (Operation-Location, @nextLink). */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  schema?: z.ZodType<T>;
  /** What a 200/202 with an empty body means (list endpoints answer empty when there is nothing). */
  emptyBody?: T;
  /**
   * `none`: the contract defines no response body (Activate 200, operation PATCH 200, PATCH/DELETE
   * 202); whatever comes ("OK", "Accepted", HTML) is read and ignored (marketplace-contract.md §15.13).
   */
  response?: "json" | "none";
  retry: RetryPolicy;
  correlationId?: string;
  /**
   * Epoch ms after which no attempt may still be in flight (e.g. the lease of claimed usage hours,
   * after which another worker may send them): each attempt's timeout is cut to what is left, and
   * no retry starts that could not finish before it.
   */
  deadline?: number;
}

export interface MarketplaceResponse<T> {
  status: number;
  data: T;
  headers: Headers;
  requestId: string;
  correlationId: string;
  /** An earlier try of this call may have reached Microsoft (retried after a timeout, lost connection or 5xx). */
  repeated: boolean;
}

/** The least time worth starting an attempt with before a deadline. */
const MIN_ATTEMPT_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

export function buildUrl(baseUrl: string, path: string, query: Record<string, string | undefined> = {}): URL {
  const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(baseUrl.replace(/\/+$/, "") + path);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  url.searchParams.set("api-version", API_VERSION);
  return url;
}

/** Longest text of an error answer kept in a message: error answers end up in logs and operation rows. */
const MAX_DETAIL_CHARS = 300;

/**
 * An HTML page where JSON was expected: a gateway's or load balancer's error page (502/503), or a
 * sign-in page. Only its title is kept, never its markup: the page may be large, and it belongs in
 * no log, operation row or buyer's page.
 */
function describeHtml(text: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, " ").trim();
  return `an HTML page, not JSON${title ? `: "${title.slice(0, 80)}"` : ""}`;
}

function looksLikeHtml(contentType: string | null, text: string): boolean {
  return /\bhtml\b/i.test(contentType ?? "") || /^\s*<(!doctype|html|head|body)\b/i.test(text);
}

/** Microsoft's message from an error answer, and the JSON body itself when it is JSON. */
async function readError(response: Response): Promise<{ detail?: string; body?: unknown }> {
  const text = await response.text().catch(() => "");
  if (!text.trim()) return {};
  if (looksLikeHtml(response.headers.get("content-type"), text)) return { detail: describeHtml(text) };
  try {
    const body = JSON.parse(text) as unknown;
    const shaped = body as { error?: { message?: unknown }; message?: unknown } | null;
    const message = shaped?.error?.message ?? shaped?.message;
    return { detail: truncate(typeof message === "string" ? message : text), body };
  } catch {
    return { detail: truncate(text) };
  }
}

function truncate(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= MAX_DETAIL_CHARS ? flat : `${flat.slice(0, MAX_DETAIL_CHARS)}… (${flat.length} characters)`;
}

/** Failures that happen before a request is on the wire: nothing can have reached Microsoft. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_INVALID_URL",
  "CERT_HAS_EXPIRED",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

function neverSent(cause: unknown): boolean {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown; errors?: Array<{ code?: unknown }> } } | null)
    ?.cause;
  if (inner?.message === "bad port") return true; // refused by fetch itself (WHATWG "bad port" list)
  const codes = [inner?.code, ...(inner?.errors ?? []).map((error) => error.code)];
  return codes.some((code) => typeof code === "string" && NOT_SENT_CODES.has(code));
}

/**
 * Why a retryable answer ends the call: Microsoft asks for a longer wait than we give one call, the
 * caller's deadline leaves no time for another try, or the tries are used up.
 */
function givingUp(
  status: number,
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  maxRetryAfterMs: number,
  outOfTime: boolean,
): string {
  if (!retryableStatus(status, policy)) return "";
  const tries = `${attempt + 1} ${attempt === 0 ? "try" : "tries"}`;
  if (outOfTime) return `; gave up after ${tries}: no time left before the call's deadline, try again later`;
  if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs)
    return `; it asked us to wait ${Math.ceil(retryAfterMs / 1000)} s (Retry-After), longer than one call waits: gave up after ${tries}, try again later`;
  const hint = status === 429 && retryAfterMs === undefined ? " (no Retry-After: our own backoff)" : "";
  return `; gave up after ${tries}${hint}, try again later`;
}

function retryableStatus(status: number, policy: RetryPolicy) {
  return status === 429 || (policy === "idempotent" && status >= 500);
}

/**
 * One logical call, retries included, as a span `marketplace <operation>` (the child of the request
 * or job that makes it) and in the call metrics: Microsoft's x-ms-requestid and x-ms-correlationid,
 * the HTTP status, the number of retries, and the error's kind when it fails.
 */
export async function marketplaceRequest<T>(
  settings: HttpSettings,
  request: MarketplaceRequest<T>,
): Promise<MarketplaceResponse<T>> {
  const correlationId = request.correlationId ?? randomUUID();
  const url = buildUrl(settings.baseUrl, request.path, request.query);
  const attributes = {
    "marketplace.operation": request.operation,
    "marketplace.correlation_id": correlationId,
    "http.request.method": request.method,
    "server.address": url.hostname,
    "url.path": url.pathname,
  };
  return withSpan(`marketplace ${request.operation}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const started = performance.now();
    let retries = 0;
    const observed: HttpSettings = {
      ...settings,
      onEvent: (event) => {
        retries = event.attempt;
        if (event.outcome === "retry")
          span.addEvent("retry", {
            "http.response.status_code": event.status ?? 0,
            "error.type": event.error ?? `${event.status ?? "network"}`,
          });
        settings.onEvent?.(event);
      },
    };
    const finish = (details: { status?: number; requestId?: string; errorKind?: string }) => {
      span.setAttribute("http.request.resend_count", retries);
      if (details.status !== undefined) span.setAttribute("http.response.status_code", details.status);
      if (details.requestId) span.setAttribute("marketplace.request_id", details.requestId);
      if (details.errorKind) span.setAttribute("error.type", details.errorKind);
      telemetry.marketplaceCall({
        operation: request.operation,
        durationMs: performance.now() - started,
        status: details.status,
        errorKind: details.errorKind,
      });
    };
    try {
      const response = await sendRequest(observed, { ...request, correlationId }, url);
      finish({ status: response.status, requestId: response.requestId });
      return response;
    } catch (error) {
      if (isMarketplaceError(error))
        finish({ status: error.status, requestId: error.requestId, errorKind: error.kind });
      else finish({ errorKind: error instanceof Error ? error.name : "unknown" });
      throw error;
    }
  });
}

async function sendRequest<T>(
  settings: HttpSettings,
  request: MarketplaceRequest<T> & { correlationId: string },
  url: URL,
): Promise<MarketplaceResponse<T>> {
  const correlationId = request.correlationId;
  const baseMs = settings.backoffBaseMs ?? 500;
  const maxMs = settings.backoffMaxMs ?? 8_000;
  const maxRetryAfterMs = settings.maxRetryAfterMs ?? 30_000;
  const emit = (event: Omit<HttpEvent, "operation" | "method" | "path" | "correlationId">) =>
    settings.onEvent?.({
      operation: request.operation,
      method: request.method,
      path: url.pathname,
      correlationId,
      ...event,
    });

  let repeated = false;
  /** After a 403: the next try, and only that one, asks Entra for a fresh token. */
  let renewToken = false;
  let tokenRenewed = false;
  for (let attempt = 0; ; attempt += 1) {
    const requestId = randomUUID();
    const started = performance.now();
    // Time left before the caller's deadline bounds this attempt; too little for another attempt ends the retries.
    const timeoutMs =
      request.deadline === undefined
        ? settings.timeoutMs
        : Math.max(1, Math.min(settings.timeoutMs, request.deadline - Date.now()));
    const retryFits = (delayMs: number) =>
      request.deadline === undefined || Date.now() + delayMs + MIN_ATTEMPT_MS <= request.deadline;
    const lastAttempt = attempt >= settings.maxRetries;
    let response: Response;
    try {
      const token = await settings.getAccessToken(renewToken ? { skipCache: true } : undefined);
      renewToken = false;
      response = await fetch(url, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          "x-ms-requestid": requestId,
          "x-ms-correlationid": correlationId,
          accept: "application/json",
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
    } catch (cause) {
      if (isMarketplaceError(cause)) throw cause; // token acquisition failed: not a transport problem
      const timedOut = cause instanceof DOMException && (cause.name === "TimeoutError" || cause.name === "AbortError");
      const durationMs = performance.now() - started;
      // A request that may have reached Microsoft is repeated only when repeating is safe.
      const delayMs = backoffDelay(attempt, baseMs, maxMs);
      if (!lastAttempt && request.retry === "idempotent" && retryFits(delayMs)) {
        repeated ||= timedOut || !neverSent(cause);
        emit({ attempt, durationMs, requestId, outcome: "retry", error: timedOut ? "timeout" : "network" });
        await sleep(delayMs);
        continue;
      }
      emit({ attempt, durationMs, requestId, outcome: "error", error: timedOut ? "timeout" : "network" });
      throw new MarketplaceError({
        kind: timedOut ? "timeout" : "unavailable",
        mayHaveTakenEffect: timedOut || !neverSent(cause),
        operation: request.operation,
        message: timedOut
          ? `${request.operation}: the marketplace did not answer within ${Math.round(timeoutMs)} ms`
          : `${request.operation}: the marketplace could not be reached`,
        requestId,
        correlationId,
        cause,
      });
    }

    const durationMs = performance.now() - started;
    const serverRequestId = response.headers.get("x-ms-requestid") ?? requestId;
    if (response.ok) {
      const text = await response.text().catch(() => "");
      let data: unknown = request.emptyBody;
      if (request.response !== "none" && text.trim() !== "") {
        try {
          data = JSON.parse(text);
        } catch (cause) {
          emit({ attempt, status: response.status, durationMs, requestId, outcome: "error", error: "invalid JSON" });
          throw new MarketplaceError({
            kind: "invalid_response",
            operation: request.operation,
            status: response.status,
            message: `${request.operation}: the marketplace answered ${response.status} with ${
              looksLikeHtml(response.headers.get("content-type"), text) ? describeHtml(text) : "invalid JSON"
            }`,
            requestId: serverRequestId,
            correlationId,
            mayHaveTakenEffect: true,
            cause,
          });
        }
      }
      if (request.schema) {
        const parsed = request.schema.safeParse(data);
        if (!parsed.success) {
          emit({ attempt, status: response.status, durationMs, requestId, outcome: "error", error: "schema" });
          throw new MarketplaceError({
            kind: "invalid_response",
            operation: request.operation,
            status: response.status,
            message: `${request.operation}: unexpected response shape (${parsed.error.issues
              .slice(0, 3)
              .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
              .join("; ")})`,
            requestId: serverRequestId,
            correlationId,
            mayHaveTakenEffect: true,
          });
        }
        data = parsed.data;
      }
      emit({ attempt, status: response.status, durationMs, requestId, outcome: "ok" });
      return {
        status: response.status,
        data: data as T,
        headers: response.headers,
        requestId: serverRequestId,
        correlationId,
        repeated,
      };
    }

    // marketplace-contract.md §10.2: a 403 is a refusal of our token (nothing was processed): renew
    // it once and try again, whatever the retry policy and without using up a retry.
    if (response.status === 403 && !tokenRenewed && retryFits(0)) {
      await response.body?.cancel();
      emit({ attempt, status: response.status, durationMs, requestId, outcome: "retry", error: "renewing the token" });
      renewToken = true;
      tokenRenewed = true;
      attempt -= 1;
      continue;
    }
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const delayMs = retryAfterMs ?? backoffDelay(attempt, baseMs, maxMs);
    if (
      !lastAttempt &&
      retryableStatus(response.status, request.retry) &&
      (retryAfterMs === undefined || retryAfterMs <= maxRetryAfterMs) &&
      retryFits(delayMs)
    ) {
      await response.body?.cancel();
      repeated ||= response.status >= 500;
      emit({ attempt, status: response.status, durationMs, requestId, outcome: "retry" });
      await sleep(delayMs);
      continue;
    }
    const { detail, body } = await readError(response);
    emit({ attempt, status: response.status, durationMs, requestId, outcome: "error" });
    throw new MarketplaceError({
      kind: kindForStatus(response.status),
      operation: request.operation,
      status: response.status,
      message: `${request.operation}: the marketplace answered ${response.status}${detail ? ` (${detail})` : ""}${givingUp(
        response.status,
        request.retry,
        attempt,
        retryAfterMs,
        maxRetryAfterMs,
        !lastAttempt && !retryFits(delayMs),
      )}`,
      detail,
      body,
      requestId: serverRequestId,
      correlationId,
      // A 5xx says nothing about whether the change was made; a 4xx or 429 is a refusal.
      mayHaveTakenEffect: response.status >= 500,
    });
  }
}
