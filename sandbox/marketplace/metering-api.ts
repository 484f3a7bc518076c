/**
 * Marketplace Metering Service API (OpenAPI `MeteringOperations_*`, marketplace-contract.md §9): single and batch
 * usage events and the usage-event listing, behind the same gateway as the Fulfillment API
 * (api-version, bearer token, faults, call log). Error bodies have the metering shape
 * `{ code, message, target, details }` (§3.2), not the Fulfillment `{ error }` one.
 */
import type { ApiCall, ApiResult, ApiRoute } from "./api-gateway";
import type { MarketplaceContext } from "./context";
import {
  acceptedMessage,
  echo,
  judgeUsageEvent,
  parseEventTime,
  UNSET_MESSAGE_TIME,
  verdictError,
  type UsageEventEcho,
  type UsageVerdict,
} from "./metering-rules";
import type { StoredUsageEvent } from "./usage-ledger";
import { usageEventRows } from "./usage-reconciliation";

/** §9.3: 1 to 25 events per batch; more is a 400. */
export const MAX_BATCH_EVENTS = 25;

export const meteringRoutes: ApiRoute[] = [
  { name: "usageEvent", method: "POST", pattern: /^\/api\/usageEvent$/, handle: postUsageEvent },
  { name: "batchUsageEvent", method: "POST", pattern: /^\/api\/batchUsageEvent$/, handle: postBatchUsageEvent },
  { name: "usageEvents", method: "GET", pattern: /^\/api\/usageEvents$/, handle: listUsageEvents },
];

function badRequest(message: string, target: string, code = "BadArgument"): ApiResult {
  return { status: 400, body: { code: "BadArgument", message, target, details: [{ code, message, target }] } };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `acceptedNow`: events accepted earlier in the same batch (not yet in the ledger). */
function judge(
  ctx: MarketplaceContext,
  raw: UsageEventEcho,
  via: StoredUsageEvent["via"],
  acceptedNow: StoredUsageEvent[] = [],
): UsageVerdict {
  return judgeUsageEvent(raw, {
    now: new Date(),
    via,
    catalog: ctx.options.catalog,
    findSubscription: (id) => ctx.store.getSubscription(id),
    findAccepted: (resourceId, dimension, hourStart) =>
      acceptedNow.find((e) => e.resourceId === resourceId && e.dimension === dimension && e.hourStart === hourStart) ??
      ctx.usage.find(resourceId, dimension, hourStart),
  });
}

/** §9.2: 200 with the accepted event, 409 with the previously accepted one, 400 otherwise. */
async function postUsageEvent(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const body = parseJson(await call.body());
  if (!body.ok || !isRecord(body.value))
    return badRequest("The request body must be a UsageEvent JSON object.", "usageEventRequest");
  const verdict = judge(ctx, body.value, "usageEvent");
  if (verdict.status === "Accepted") {
    await ctx.usage.add([verdict.event]);
    return { status: 200, body: acceptedMessage(verdict.event) };
  }
  if (verdict.status === "Duplicate") return { status: 409, body: verdictError(verdict) };
  return badRequest(verdict.message, verdict.target ?? "usageEventRequest", verdict.status);
}

/**
 * §9.3: 200 with one result per item (each with its own status); 400 for more than 25. Variant
 * mixed-usage-batch forces some items' outcomes and reverses the order of the results.
 */
async function postBatchUsageEvent(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const body = parseJson(await call.body());
  if (!body.ok || !isRecord(body.value) || !Array.isArray(body.value.request)) {
    return badRequest('The request body must be { "request": [UsageEvent, ...] }.', "request");
  }
  const items: unknown[] = body.value.request;
  if (items.length === 0) return badRequest("The batch must contain at least one usage event.", "request");
  if (items.length > MAX_BATCH_EVENTS)
    return badRequest(`The batch contained more than ${MAX_BATCH_EVENTS} usage events.`, "request");

  const accepted: StoredUsageEvent[] = [];
  const result = items.map((item, index) => {
    const raw: UsageEventEcho = isRecord(item) ? item : {};
    // Variant mixed-usage-batch: some items get an outcome of their own, whatever they hold.
    const forced = ctx.variants.forcedUsageOutcome(index);
    // A second item for an hour accepted earlier in this batch is a Duplicate, as in Microsoft's.
    const verdict: UsageVerdict = forced ?? judge(ctx, raw, "batchUsageEvent", accepted);
    if (verdict.status === "Accepted") {
      accepted.push(verdict.event);
      return acceptedMessage(verdict.event);
    }
    return {
      status: verdict.status,
      messageTime: verdict.status === "Duplicate" ? UNSET_MESSAGE_TIME : new Date().toISOString(),
      ...echo(raw),
      error: verdictError(verdict),
    };
  });
  await ctx.usage.add(accepted);
  if (ctx.variants.usageResultsReversed()) result.reverse();
  return { status: 200, body: { count: result.length, result }, changedState: accepted.length > 0 };
}

/**
 * §9.5: what was recorded, per UTC day (or hour: variant hourly-usage-events, §15.23), resource, dimension and
 * plan. `usageStartDate` is required; `UsageEndDate` (capital U in the spec) defaults to now. The sandbox
 * reconciles at once (`reconStatus: Accepted`, processed = submitted) unless the control API set another
 * answer (usage-reconciliation.ts). `reconStatus` filters on the status each row shows.
 */
async function listUsageEvents(ctx: MarketplaceContext, call: ApiCall): Promise<ApiResult> {
  const query = call.url.searchParams;
  const startText = query.get("usageStartDate");
  if (!startText) return badRequest("The usageStartDate query parameter is required.", "usageStartDate");
  const start = parseEventTime(startText);
  if (!start)
    return badRequest(
      "usageStartDate must be an ISO 8601 date or date-time (e.g. 2020-12-03 or 2020-12-03T15:00).",
      "usageStartDate",
    );
  const endText = query.get("UsageEndDate") ?? query.get("usageEndDate");
  const end = endText ? parseEventTime(endText) : new Date();
  if (!end) return badRequest("UsageEndDate must be an ISO 8601 date or date-time.", "UsageEndDate");

  const filters = {
    offerId: query.get("offerId"),
    planId: query.get("planId"),
    dimension: query.get("dimension"),
    reconStatus: query.get("reconStatus"),
  };
  // SaaS usage has no Azure subscription: filtering by one finds nothing.
  if (query.get("azureSubscriptionId")) return { status: 200, body: [] };

  const events = ctx.usage.list().filter((event) => {
    const time = Date.parse(event.hourStart);
    return (
      time >= start.getTime() &&
      time <= end.getTime() &&
      (!filters.offerId || event.offerId === filters.offerId) &&
      (!filters.planId || event.planId === filters.planId) &&
      (!filters.dimension || event.dimension === filters.dimension)
    );
  });
  const rows = usageEventRows(events, {
    perHour: ctx.variants.usageRowsPerHour(),
    catalog: ctx.options.catalog,
    reconciliations: ctx.usageReconciliations,
  });
  const wanted = filters.reconStatus?.trim().toLowerCase();
  return { status: 200, body: wanted ? rows.filter((row) => row.reconStatus.toLowerCase() === wanted) : rows };
}
