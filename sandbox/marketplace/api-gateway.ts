/**
 * Entry point of every `/api/...` call: request/correlation ids, injected faults, routing,
 * api-version, bearer token, error mapping, the enabled variants and the call log, in that
 * order. Handlers only see authenticated, versioned calls and return an ApiResult; they never
 * touch the response.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { headerValue, requestUrl, safeDecode } from "../http";
import type { ApiOperation } from "./api-operations";
import type { PublisherCaller } from "./auth";
import type { CallRecord } from "./call-log";
import { completeDueChanges, type MarketplaceContext } from "./context";
import type { Fault } from "./faults";
import { fulfillmentRoutes } from "./fulfillment-api";
import { meteringRoutes } from "./metering-api";
import { errorBody, HttpError, readText } from "./http-error";
import { API_VERSION } from "./model";
import { operationRoutes } from "./operations-api";

export interface ApiCall {
  params: string[];
  url: URL;
  caller: PublisherCaller;
  header(name: string): string | undefined;
  body(): Promise<string>;
}

export interface ApiResult {
  status: number;
  /** JSON body; `undefined` sends no body at all (e.g. Activate's 200, List's empty answer). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The call changed the emulator's state (an Activate that activated, a batch that accepted events); a repeat would not. Never sent. */
  changedState?: boolean;
}

/** Names of the API's operations (api-operations.ts), for what must know which one answered (variants, the call log). */
export type ApiRouteName = ApiOperation;

export interface ApiRoute {
  name: ApiRouteName;
  method: string;
  pattern: RegExp;
  handle(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult>;
}

const routes: ApiRoute[] = [...fulfillmentRoutes, ...operationRoutes, ...meteringRoutes];

export async function handleApiRequest(
  ctx: MarketplaceContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = Date.now();
  const url = requestUrl(req);
  const method = (req.method ?? "GET").toUpperCase();
  const sentRequestId = headerValue(req, "x-ms-requestid");
  const sentCorrelationId = headerValue(req, "x-ms-correlationid");
  // marketplace-contract.md §3.1: the server generates the ids the client did not send and returns them.
  const ids = {
    "x-ms-requestid": sentRequestId || randomUUID(),
    "x-ms-correlationid": sentCorrelationId || randomUUID(),
  };
  const record: CallRecord = {
    time: new Date(started).toISOString(),
    method,
    path: url.pathname + url.search,
    ...identifyCall(method, url.pathname),
    status: 0,
    durationMs: 0,
    requestId: ids["x-ms-requestid"],
    correlationId: ids["x-ms-correlationid"],
    requestIdSent: Boolean(sentRequestId),
    correlationIdSent: Boolean(sentCorrelationId),
  };

  /** Set once the call reached its handler (authenticated, versioned): only then do variants apply. */
  let handledBy: ApiRouteName | undefined;
  let result: ApiResult;
  let bodyText: Promise<string> | undefined;
  const body = () => (bodyText ??= readText(req));
  try {
    // A variant's gateway (throttling) answers before anything else: the call is not processed.
    const gateway = ctx.variants.gatewayAnswer({
      method,
      path: url.pathname,
      correlationId: ids["x-ms-correlationid"],
    });
    if (gateway) {
      await body().catch(() => "");
      record.answeredBy = gateway.variant;
      record.status = gateway.result.status;
      record.durationMs = Date.now() - started;
      ctx.calls.add(record);
      send(res, gateway.result, ids);
      return;
    }
    const fault = ctx.faults.take(method, url.pathname, headerValue(req, "authorization"));
    if (fault) record.faultId = fault.id;
    if (fault?.delayMs) {
      // A slow answer, not a lost request: the call is received first and processed after the delay,
      // even when the client gave up meanwhile (a timeout that went through).
      if (fault.status === undefined) await body().catch(() => "");
      await sleep(fault.delayMs);
    }
    result =
      fault?.status !== undefined
        ? faultResult(fault, fault.status)
        : await dispatch(
            ctx,
            req,
            url,
            method,
            body,
            (caller) => {
              record.appId = caller.appId;
            },
            (name) => {
              handledBy = name;
            },
          );
  } catch (error) {
    result = errorResult(error);
  }
  if (handledBy) result = ctx.variants.shapeAnswer(handledBy, result);
  result = ctx.variants.shapeServerError(result);

  record.status = result.status;
  record.durationMs = Date.now() - started;
  const lostBy = handledBy ? ctx.variants.answerLostBy(handledBy, result) : undefined;
  if (lostBy) {
    // The work is done and persisted; only the answer never reaches the client (a network error there).
    ctx.calls.add({ ...record, status: 0, lostAnswer: { status: result.status, variant: lostBy } });
    res.socket?.destroy();
    return;
  }
  ctx.calls.add(record);
  if (res.destroyed) return; // the client gave up (e.g. a timeout test); nothing left to answer
  send(res, result, ids);
}

/**
 * Which operation a call is for and the subscription its path names, whatever happens to it next
 * (an injected fault, a refused token, a 4xx): "was Activate called for this subscription?" must
 * count every attempt. The first path segment a route captures is always the subscription id.
 */
export function identifyCall(
  method: string,
  pathname: string,
): { operation: ApiOperation | null; subscriptionId: string | null } {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const id = match[1];
    return { operation: route.name, subscriptionId: id === undefined ? null : safeDecode(id).toLowerCase() };
  }
  return { operation: null, subscriptionId: null };
}

async function dispatch(
  ctx: MarketplaceContext,
  req: IncomingMessage,
  url: URL,
  method: string,
  body: () => Promise<string>,
  onCaller: (caller: PublisherCaller) => void,
  onHandler: (name: ApiRouteName) => void,
): Promise<ApiResult> {
  const matching = routes.map((route) => ({ route, match: route.pattern.exec(url.pathname) })).filter((m) => m.match);
  if (matching.length === 0) throw new HttpError(404, "NotFound", `No API resource at ${url.pathname}`);
  const hit = matching.find((m) => m.route.method === method);
  if (!hit?.match) {
    const allow = [...new Set(matching.map((m) => m.route.method))].join(", ");
    throw new HttpError(405, "MethodNotAllowed", `${method} is not supported on ${url.pathname}`, { allow });
  }

  const apiVersion = url.searchParams.get("api-version");
  if (apiVersion === null)
    throw new HttpError(
      400,
      "BadRequest",
      `The api-version query parameter is required; use api-version=${API_VERSION}.`,
    );
  if (apiVersion !== API_VERSION) {
    throw new HttpError(
      400,
      "BadRequest",
      `Unsupported api-version "${apiVersion}"; the only supported version is ${API_VERSION}.`,
    );
  }

  const caller = await ctx.verifyToken(headerValue(req, "authorization"));
  onCaller(caller);
  await completeDueChanges(ctx);

  const params = hit.match.slice(1).map((p) => safeDecode(p ?? ""));
  onHandler(hit.route.name);
  return hit.route.handle(ctx, {
    params,
    url,
    caller,
    header: (name) => headerValue(req, name),
    body,
  });
}

function faultResult(fault: Fault, status: number): ApiResult {
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
  const body =
    fault.body !== undefined ? fault.body : errorBody(faultCode(status), `Injected fault ${fault.id} (sandbox).`);
  return { status, body, headers };
}

function faultCode(status: number): string {
  if (status === 429) return "TooManyRequests";
  if (status === 503) return "ServiceUnavailable";
  if (status >= 500) return "InternalServerError";
  return "InjectedFault";
}

function errorResult(error: unknown): ApiResult {
  if (error instanceof HttpError)
    return { status: error.status, body: errorBody(error.code, error.message), headers: error.headers };
  console.error("[marketplace] API handler failed", error);
  return { status: 500, body: errorBody("InternalServerError", "The sandbox failed to process the request.") };
}

function send(res: ServerResponse, result: ApiResult, ids: Record<string, string>): void {
  const headers: Record<string, string> = { ...ids, ...result.headers };
  if (result.body === undefined) {
    res.writeHead(result.status, { ...headers, "content-length": "0" });
    res.end();
    return;
  }
  // A string body from an injected fault is sent as is (e.g. an HTML error page of a proxy); its
  // content type is text/plain unless the result names one (variant html-errors: text/html).
  const isText = typeof result.body === "string";
  const text = typeof result.body === "string" ? result.body : JSON.stringify(result.body);
  res.writeHead(result.status, {
    "content-type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
