/**
 * Test/control API under /sandbox-api/ (JSON, no auth: a local sandbox). Lets tests buy,
 * mint tokens, inspect state, set a term as Microsoft would report it, act as the customer/Microsoft on the marketplace side, inspect and
 * redeliver webhooks, list accepted usage events, set what GET /usageEvents reconciles, inject faults, tune timings, switch variants
 * (variants.ts) and read the `/api` call log.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { requestUrl, safeDecode, sendJson } from "../http";
import { API_OPERATIONS } from "./api-operations";
import { completeDueChanges, type MarketplaceContext } from "./context";
import { faultRequestSchema } from "./faults";
import { errorBody, HttpError, parseJsonBody, readText } from "./http-error";
import { checkMarketplaceAction, marketplaceActionSchema } from "./marketplace-actions";
import type { StoredDelivery, StoredOperation } from "./model";
import { createPurchase, issueToken, PurchaseRejected } from "./purchases";
import { applyTermUpdate, termUpdateSchema } from "./term-control";
import { resolveVariants, unknownVariantsMessage, VARIANTS } from "./variants";
import { usageReconciliationSchema } from "./usage-reconciliation";
import { acknowledgementOf } from "./webhooks";
import { operationResource, subscriptionResource } from "./wire";

export const CONTROL_PREFIX = "/sandbox-api/";

const userRefSchema = z.object({ tid: z.string().min(1), oid: z.string().min(1) });
const tokenTtlSchema = z
  .number()
  .int()
  .min(0)
  .max(365 * 24 * 60 * 60);

const purchaseSchema = z.object({
  offerId: z.string().min(1),
  planId: z.string().min(1),
  quantity: z.number().int().positive().optional(),
  beneficiary: userRefSchema,
  purchaser: userRefSchema.optional(),
  csp: z.boolean().optional(),
  isTest: z.boolean().optional(),
  isFreeTrial: z.boolean().optional(),
  preview: z.boolean().optional(),
  name: z.string().min(1).optional(),
  tokenTtlSeconds: tokenTtlSchema.optional(),
});

const tokenSchema = z.object({ tokenTtlSeconds: tokenTtlSchema.optional() });

const settingsSchema = z.object({
  operationDelayMs: z.number().int().min(0).max(600_000).optional(),
  activationDelayMs: z.number().int().min(0).max(600_000).optional(),
  failNextOperations: z.number().int().min(0).optional(),
  ackTimeoutMs: z.number().int().min(0).max(600_000).optional(),
  webhookMaxAttempts: z.number().int().min(1).max(50).optional(),
  webhookBackoffMs: z.number().int().min(0).max(60_000).optional(),
  webhookTimeoutMs: z.number().int().min(100).max(60_000).optional(),
  slowActivationMs: z.number().int().min(0).max(600_000).optional(),
  applyDelayMs: z.number().int().min(0).max(600_000).optional(),
  webhookHoldMs: z.number().int().min(0).max(600_000).optional(),
  throttledTries: z.number().int().min(0).max(100).optional(),
  gatewayErrorTries: z.number().int().min(0).max(100).optional(),
  pendingExpiryMs: z.number().int().min(0).max(86_400_000).optional(),
  /** An http(s) URL, or null for the configured default. */
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .optional(),
});

/** The whole set of variants to play from now on (replaces the current one). */
const variantsSchema = z.object({ enabled: z.union([z.literal("all"), z.array(z.string())]) });

const usageEventsQuerySchema = z.object({
  subscriptionId: z.string().min(1).optional(),
  dimension: z.string().min(1).optional(),
});

const callsQuerySchema = z.strictObject({
  since: z
    .string()
    .transform((text) => new Date(text))
    .refine((date) => !Number.isNaN(date.getTime()), { message: "since must be an ISO date-time" })
    .optional(),
  operation: z
    .enum(API_OPERATIONS, { error: () => `operation must be one of ${API_OPERATIONS.join(", ")}` })
    .optional(),
  subscriptionId: z.string().min(1).optional(),
});

const usageReconciliationQuerySchema = z.object({ subscriptionId: z.uuid().optional() });

const deliveriesQuerySchema = z.object({
  subscriptionId: z.string().min(1).optional(),
  operationId: z.string().min(1).optional(),
});

type Route = {
  method: string;
  pattern: RegExp;
  handle: (ctx: MarketplaceContext, req: IncomingMessage, params: string[]) => Promise<[number, unknown]>;
};

const routes: Route[] = [
  { method: "POST", pattern: /^\/sandbox-api\/purchases$/, handle: purchase },
  { method: "GET", pattern: /^\/sandbox-api\/subscriptions$/, handle: listSubscriptions },
  { method: "GET", pattern: /^\/sandbox-api\/subscriptions\/([^/]+)$/, handle: getSubscription },
  { method: "POST", pattern: /^\/sandbox-api\/subscriptions\/([^/]+)\/token$/, handle: newToken },
  { method: "POST", pattern: /^\/sandbox-api\/subscriptions\/([^/]+)\/actions$/, handle: marketplaceAction },
  { method: "POST", pattern: /^\/sandbox-api\/subscriptions\/([^/]+)\/term$/, handle: setTerm },
  { method: "GET", pattern: /^\/sandbox-api\/webhooks$/, handle: listDeliveries },
  { method: "GET", pattern: /^\/sandbox-api\/webhooks\/([^/]+)$/, handle: getDelivery },
  { method: "POST", pattern: /^\/sandbox-api\/webhooks\/([^/]+)\/redeliver$/, handle: redeliver },
  { method: "GET", pattern: /^\/sandbox-api\/usage-events$/, handle: listUsageEvents },
  { method: "GET", pattern: /^\/sandbox-api\/usage-reconciliation$/, handle: listUsageReconciliations },
  { method: "POST", pattern: /^\/sandbox-api\/usage-reconciliation$/, handle: setUsageReconciliation },
  { method: "DELETE", pattern: /^\/sandbox-api\/usage-reconciliation$/, handle: clearUsageReconciliations },
  { method: "GET", pattern: /^\/sandbox-api\/faults$/, handle: async (ctx) => [200, { faults: ctx.faults.list() }] },
  { method: "POST", pattern: /^\/sandbox-api\/faults$/, handle: addFault },
  {
    method: "DELETE",
    pattern: /^\/sandbox-api\/faults$/,
    handle: async (ctx) => [200, { cleared: ctx.faults.clear() }],
  },
  { method: "GET", pattern: /^\/sandbox-api\/settings$/, handle: async (ctx) => [200, { ...ctx.settings }] },
  { method: "POST", pattern: /^\/sandbox-api\/settings$/, handle: updateSettings },
  { method: "GET", pattern: /^\/sandbox-api\/variants$/, handle: async (ctx) => [200, variantsView(ctx)] },
  { method: "POST", pattern: /^\/sandbox-api\/variants$/, handle: updateVariants },
  { method: "GET", pattern: /^\/sandbox-api\/calls$/, handle: listCalls },
  {
    method: "DELETE",
    pattern: /^\/sandbox-api\/calls$/,
    handle: async (ctx) => {
      ctx.calls.clear();
      return [200, {}];
    },
  },
];

export async function handleControlRequest(
  ctx: MarketplaceContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = requestUrl(req).pathname;
  const method = (req.method ?? "GET").toUpperCase();
  const matching = routes.filter((r) => r.pattern.test(path));
  const route = matching.find((r) => r.method === method);
  try {
    if (!route) {
      throw matching.length > 0
        ? new HttpError(405, "MethodNotAllowed", `${method} is not supported on ${path}`)
        : new HttpError(404, "NotFound", `No control route at ${path}`);
    }
    const params = (route.pattern.exec(path) ?? []).slice(1).map((p) => safeDecode(p ?? ""));
    await completeDueChanges(ctx);
    const [status, body] = await route.handle(ctx, req, params);
    sendJson(res, status, body);
  } catch (error) {
    if (error instanceof HttpError) sendJson(res, error.status, errorBody(error.code, error.message));
    else if (error instanceof PurchaseRejected) sendJson(res, 400, errorBody("BadRequest", error.message));
    else throw error;
  }
}

async function purchase(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  const body = parseJsonBody(await readText(req), purchaseSchema);
  const result = await createPurchase(ctx.purchases, body);
  return [
    201,
    {
      subscriptionId: result.subscription.id,
      token: result.token,
      tokenExpiresAt: result.expiresAt,
      landingUrl: result.landingUrl,
      // marketplace-contract.md §4.7: an auto-activated plan's subscription is Subscribed already and its Subscribe webhook is on its way.
      autoActivated: result.subscribe !== undefined,
      subscribeOperationId: result.subscribe?.operation.id ?? null,
      subscribeDeliveryId: result.subscribe?.delivery.id ?? null,
    },
  ];
}

async function newToken(
  ctx: MarketplaceContext,
  req: IncomingMessage,
  [id = ""]: string[],
): Promise<[number, unknown]> {
  const body = parseJsonBody(await readText(req), tokenSchema, {});
  const issued = await issueToken(ctx.purchases, id, body.tokenTtlSeconds);
  if (!issued) throw new HttpError(404, "NotFound", `Subscription ${id} was not found.`);
  return [
    201,
    {
      subscriptionId: id.toLowerCase(),
      token: issued.token,
      tokenExpiresAt: issued.expiresAt,
      landingUrl: issued.landingUrl,
    },
  ];
}

async function listSubscriptions(ctx: MarketplaceContext): Promise<[number, unknown]> {
  return [200, { subscriptions: ctx.store.listSubscriptions().map(subscriptionResource) }];
}

/** The subscription as the API shows it, the raw stored record, and all its operations. */
async function getSubscription(
  ctx: MarketplaceContext,
  _req: IncomingMessage,
  [id = ""]: string[],
): Promise<[number, unknown]> {
  const subscription = ctx.store.getSubscription(id);
  if (!subscription) throw new HttpError(404, "NotFound", `Subscription ${id} was not found.`);
  const operations = ctx.store.operationsOf(subscription.id).map(operationView);
  return [200, { subscription: subscriptionResource(subscription), stored: subscription, operations }];
}

/** The operation as the API shows it, plus how and when it progressed. */
function operationView(o: StoredOperation) {
  return {
    ...operationResource(o),
    operationRequestSource: o.source,
    dueAt: o.dueAt,
    phase: o.phase ?? null,
    ackDueAt: o.ackDueAt ?? null,
    completedAt: o.completedAt ?? null,
    settledBy: o.settledBy ?? null,
    applyDueAt: o.applyDueAt ?? null,
    autoAccepted: o.settledBy === "autoAccept",
  };
}

/**
 * A marketplace-side action (the customer / Microsoft in the Azure portal or M365 admin center):
 * ChangePlan, ChangeQuantity, Suspend, Reinstate, Unsubscribe, Renew. 201 with the operation.
 */
async function marketplaceAction(
  ctx: MarketplaceContext,
  req: IncomingMessage,
  [id = ""]: string[],
): Promise<[number, unknown]> {
  const subscription = ctx.store.getSubscription(id);
  if (!subscription) throw new HttpError(404, "NotFound", `Subscription ${id} was not found.`);
  const body = parseJsonBody(await readText(req), marketplaceActionSchema);
  const request = checkMarketplaceAction(
    subscription,
    body,
    ctx.options.catalog,
    ctx.store.operationsOf(subscription.id),
  );
  const { operation, delivery } = await ctx.engine.startMarketplaceAction(
    subscription,
    request,
    body.deliver ?? "normal",
  );
  return [
    201,
    {
      operationId: operation.id,
      status: operation.status,
      action: operation.action,
      subscriptionId: operation.subscriptionId,
      operationRequestSource: operation.source,
      ackDueAt: operation.ackDueAt ?? null,
      deliveryId: delivery?.id ?? null,
    },
  ];
}

/** Sets the term as Microsoft would report it (term-control.ts): 200 with the subscription as the API shows it. */
async function setTerm(ctx: MarketplaceContext, req: IncomingMessage, [id = ""]: string[]): Promise<[number, unknown]> {
  const subscription = ctx.store.getSubscription(id);
  if (!subscription) throw new HttpError(404, "NotFound", `Subscription ${id} was not found.`);
  applyTermUpdate(subscription, parseJsonBody(await readText(req), termUpdateSchema), new Date());
  await ctx.store.persist();
  return [200, { subscription: subscriptionResource(subscription) }];
}

/** Webhook deliveries with every attempt and the operation's acknowledgement, oldest first. */
async function listDeliveries(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  const params = Object.fromEntries(requestUrl(req).searchParams);
  const parsed = deliveriesQuerySchema.safeParse(params);
  if (!parsed.success) throw new HttpError(400, "BadRequest", "Use ?subscriptionId= and/or ?operationId=");
  return [200, { deliveries: ctx.store.listDeliveries(parsed.data).map((d) => deliveryView(ctx, d)) }];
}

async function getDelivery(
  ctx: MarketplaceContext,
  _req: IncomingMessage,
  [id = ""]: string[],
): Promise<[number, unknown]> {
  const delivery = ctx.store.getDelivery(id);
  if (!delivery) throw new HttpError(404, "NotFound", `Webhook delivery ${id} was not found.`);
  return [200, deliveryView(ctx, delivery)];
}

/** Sends the same payload again as a new delivery: the portal sees a duplicate (same operation id). */
async function redeliver(
  ctx: MarketplaceContext,
  _req: IncomingMessage,
  [id = ""]: string[],
): Promise<[number, unknown]> {
  const original = ctx.store.getDelivery(id);
  if (!original) throw new HttpError(404, "NotFound", `Webhook delivery ${id} was not found.`);
  const delivery = ctx.webhooks.redeliver(original);
  await ctx.store.persist();
  ctx.webhooks.start(delivery);
  return [201, deliveryView(ctx, delivery)];
}

export function deliveryView(ctx: MarketplaceContext, d: StoredDelivery) {
  const operation = ctx.store.getOperation(d.subscriptionId, d.operationId);
  const acknowledgement = operation ? acknowledgementOf(operation) : undefined;
  return {
    id: d.id,
    operationId: d.operationId,
    action: d.action,
    subscriptionId: d.subscriptionId,
    url: d.url,
    createdAt: d.createdAt,
    attempts: d.attempts.map((a) => ({ ...a })),
    delivered: d.outcome === "delivered",
    outcome: d.outcome,
    nextAttemptAt: d.nextAttemptAt ?? null,
    redeliveryOf: d.redeliveryOf ?? null,
    operationStatus: operation?.status ?? null,
    ...(operation?.status === "InProgress" && operation.ackDueAt
      ? { awaitingAcknowledgementUntil: operation.ackDueAt }
      : {}),
    ...(acknowledgement ? { acknowledgement } : {}),
    payload: d.payload,
  };
}

/** Every usage event the Metering API accepted (one per subscription, dimension and hour), oldest hour first. */
async function listUsageEvents(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  const parsed = usageEventsQuerySchema.safeParse(Object.fromEntries(requestUrl(req).searchParams));
  if (!parsed.success) throw new HttpError(400, "BadRequest", "Use ?subscriptionId= and/or ?dimension=");
  return [200, { events: ctx.usage.list(parsed.data) }];
}

function usageReconciliationFilter(req: IncomingMessage) {
  const parsed = usageReconciliationQuerySchema.safeParse(Object.fromEntries(requestUrl(req).searchParams));
  if (!parsed.success) throw new HttpError(400, "BadRequest", "subscriptionId must be a subscription id (a GUID)");
  return parsed.data;
}

/** What GET /usageEvents reports other than "Accepted", oldest period first. */
async function listUsageReconciliations(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  return [200, { reconciliations: ctx.usageReconciliations.list(usageReconciliationFilter(req)) }];
}

/** Sets (or replaces) Microsoft's reconciliation of one resource, dimension and hour or day. */
async function setUsageReconciliation(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  const body = parseJsonBody(await readText(req), usageReconciliationSchema);
  return [201, ctx.usageReconciliations.set(body)];
}

/** Back to "Accepted, processed = submitted" for one subscription (?subscriptionId=) or all. */
async function clearUsageReconciliations(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  return [200, { cleared: ctx.usageReconciliations.clear(usageReconciliationFilter(req)) }];
}

async function addFault(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  const fault = ctx.faults.add(parseJsonBody(await readText(req), faultRequestSchema));
  return [201, { id: fault.id }];
}

async function updateSettings(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  const body = parseJsonBody(await readText(req), settingsSchema, {});
  if (body.operationDelayMs !== undefined) ctx.settings.operationDelayMs = body.operationDelayMs;
  if (body.activationDelayMs !== undefined) ctx.settings.activationDelayMs = body.activationDelayMs;
  if (body.failNextOperations !== undefined) ctx.settings.failNextOperations = body.failNextOperations;
  if (body.ackTimeoutMs !== undefined) ctx.settings.ackTimeoutMs = body.ackTimeoutMs;
  if (body.webhookMaxAttempts !== undefined) ctx.settings.webhookMaxAttempts = body.webhookMaxAttempts;
  if (body.webhookBackoffMs !== undefined) ctx.settings.webhookBackoffMs = body.webhookBackoffMs;
  if (body.webhookTimeoutMs !== undefined) ctx.settings.webhookTimeoutMs = body.webhookTimeoutMs;
  if (body.slowActivationMs !== undefined) ctx.settings.slowActivationMs = body.slowActivationMs;
  if (body.applyDelayMs !== undefined) ctx.settings.applyDelayMs = body.applyDelayMs;
  if (body.webhookHoldMs !== undefined) ctx.settings.webhookHoldMs = body.webhookHoldMs;
  if (body.throttledTries !== undefined) ctx.settings.throttledTries = body.throttledTries;
  if (body.gatewayErrorTries !== undefined) ctx.settings.gatewayErrorTries = body.gatewayErrorTries;
  if (body.pendingExpiryMs !== undefined) ctx.settings.pendingExpiryMs = body.pendingExpiryMs;
  if (body.webhookUrl !== undefined) ctx.settings.webhookUrl = body.webhookUrl ?? ctx.defaultWebhookUrl;
  return [200, { ...ctx.settings }];
}

function variantsView(ctx: MarketplaceContext) {
  return {
    available: VARIANTS.map((v) => ({ name: v.name, description: v.description })),
    enabled: ctx.variants.enabled(),
  };
}

/** Replaces the set of enabled variants; one unknown name refuses the whole request. */
async function updateVariants(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  const body = parseJsonBody(await readText(req), variantsSchema);
  const { enabled, unknown } = resolveVariants(body.enabled);
  if (unknown.length > 0) throw new HttpError(400, "BadRequest", unknownVariantsMessage(unknown));
  ctx.variants.replace(enabled);
  return [200, variantsView(ctx)];
}

/** The `/api` call log, oldest first: `?since=` (ISO date-time, inclusive), `?operation=`, `?subscriptionId=`. */
async function listCalls(ctx: MarketplaceContext, req: IncomingMessage): Promise<[number, unknown]> {
  const parsed = callsQuerySchema.safeParse(Object.fromEntries(requestUrl(req).searchParams));
  if (!parsed.success) throw new HttpError(400, "BadRequest", `Invalid query: ${z.prettifyError(parsed.error)}`);
  return [200, { calls: ctx.calls.query(parsed.data) }];
}
