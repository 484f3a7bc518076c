/**
 * One HTTP call to the marketplace API with Microsoft's conventions (marketplace-contract.md §3):
 * api-version, bearer token, x-ms-requestid per attempt and x-ms-correlationid per logical
 * operation, a timeout per attempt, and retries with exponential backoff and full jitter on
 * 429/5xx/network errors, honouring Retry-After.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { isMarketplaceError, kindForStatus, MarketplaceError } from "./errors";

export const API_VERSION = "2018-08-31";

export interface HttpSettings {
  baseUrl: string;
  getAccessToken: () => Promise<string>;
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
  /** GETs, resolve, activate, operation PATCH: safe to repeat (marketplace-contract.md §10.3). */
  | "idempotent"
  /** PATCH/DELETE subscription: only retried when Microsoft refused to process it (429). */
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
}

export interface MarketplaceResponse<T> {
  status: number;
  data: T;
  headers: Headers;
  requestId: string;
  correlationId: string;
}

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

/** Microsoft's message from an error answer, and the JSON body itself when it is JSON. */
async function readError(response: Response): Promise<{ detail?: string; body?: unknown }> {
  const text = await response.text().catch(() => "");
  if (!text) return {};
  try {
    const body = JSON.parse(text) as unknown;
    const shaped = body as { error?: { message?: unknown }; message?: unknown } | null;
    const message = shaped?.error?.message ?? shaped?.message;
    return { detail: typeof message === "string" ? message.slice(0, 500) : text.slice(0, 500), body };
  } catch {
    return { detail: text.slice(0, 500) };
  }
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

function retryableStatus(status: number, policy: RetryPolicy) {
  return status === 429 || (policy === "idempotent" && status >= 500);
}

export async function marketplaceRequest<T>(
  settings: HttpSettings,
  request: MarketplaceRequest<T>,
): Promise<MarketplaceResponse<T>> {
  const correlationId = request.correlationId ?? randomUUID();
  const url = buildUrl(settings.baseUrl, request.path, request.query);
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

  for (let attempt = 0; ; attempt += 1) {
    const requestId = randomUUID();
    const started = performance.now();
    const lastAttempt = attempt >= settings.maxRetries;
    let response: Response;
    try {
      const token = await settings.getAccessToken();
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
        signal: AbortSignal.timeout(settings.timeoutMs),
        redirect: "error",
      });
    } catch (cause) {
      if (isMarketplaceError(cause)) throw cause; // token acquisition failed: not a transport problem
      const timedOut = cause instanceof DOMException && (cause.name === "TimeoutError" || cause.name === "AbortError");
      const durationMs = performance.now() - started;
      // A request that may have reached Microsoft is repeated only when repeating is safe.
      if (!lastAttempt && request.retry === "idempotent") {
        emit({ attempt, durationMs, requestId, outcome: "retry", error: timedOut ? "timeout" : "network" });
        await sleep(backoffDelay(attempt, baseMs, maxMs));
        continue;
      }
      emit({ attempt, durationMs, requestId, outcome: "error", error: timedOut ? "timeout" : "network" });
      throw new MarketplaceError({
        kind: timedOut ? "timeout" : "unavailable",
        mayHaveTakenEffect: timedOut || !neverSent(cause),
        operation: request.operation,
        message: timedOut
          ? `${request.operation}: the marketplace did not answer within ${settings.timeoutMs} ms`
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
            message: `${request.operation}: the marketplace answered with invalid JSON`,
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
      };
    }

    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    if (
      !lastAttempt &&
      retryableStatus(response.status, request.retry) &&
      (retryAfterMs === undefined || retryAfterMs <= maxRetryAfterMs)
    ) {
      await response.body?.cancel();
      emit({ attempt, status: response.status, durationMs, requestId, outcome: "retry" });
      await sleep(retryAfterMs ?? backoffDelay(attempt, baseMs, maxMs));
      continue;
    }
    const { detail, body } = await readError(response);
    emit({ attempt, status: response.status, durationMs, requestId, outcome: "error" });
    throw new MarketplaceError({
      kind: kindForStatus(response.status),
      operation: request.operation,
      status: response.status,
      message: `${request.operation}: the marketplace answered ${response.status}${detail ? ` (${detail})` : ""}`,
      detail,
      body,
      requestId: serverRequestId,
      correlationId,
      // A 5xx says nothing about whether the change was made; a 4xx or 429 is a refusal.
      mayHaveTakenEffect: response.status >= 500,
    });
  }
}
