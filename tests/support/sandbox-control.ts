import { readFileSync } from "node:fs";
import { request } from "node:https";
import type { ApiOperation } from "../../sandbox/marketplace/api-operations";
import type { VariantName } from "../../sandbox/marketplace/variants";
/** Client for the sandbox's control API (/sandbox-api), used by integration tests, e2e and benchmarks. */
export type { ApiOperation, VariantName };
export interface Purchase {
  subscriptionId: string;
  token: string;
  tokenExpiresAt: string;
  landingUrl: string;
}
/** The answer to a purchase: for an auto-activated plan also its `Subscribe` operation and webhook delivery. */
export interface PurchaseResult extends Purchase {
  /** The plan auto-activates (marketplace-contract.md §4.7): already `Subscribed`, a `Subscribe` webhook is on its way. */
  autoActivated: boolean;
  subscribeOperationId: string | null;
  subscribeDeliveryId: string | null;
}
/** `term` as the Fulfillment API reports it: `termUnit` is open text (e.g. `PAY`), dates absent until activation. */
export interface SubscriptionTerm {
  termUnit: string;
  startDate?: string;
  endDate?: string;
  chargeDuration: string | null;
}
/**
 * A term to report from now on (`POST /sandbox-api/subscriptions/{id}/term`): absent = unchanged,
 * null = removed. Any text as termUnit; dates as `2026-05-20` or an ISO date-time.
 */
export interface TermUpdate {
  termUnit?: string;
  chargeDuration?: string | null;
  startDate?: string | null;
  endDate?: string | null;
}
export interface PurchaseRequest {
  offerId: string;
  planId: string;
  quantity?: number;
  beneficiary: { tid: string; oid: string };
  purchaser?: { tid: string; oid: string };
  csp?: boolean;
  isTest?: boolean;
  isFreeTrial?: boolean;
  /** Bought through the offer's preview (preview audience): Microsoft's offer id is `<offerId>-preview`. */
  preview?: boolean;
  name?: string;
  tokenTtlSeconds?: number;
}
export interface FaultRequest {
  method?: string;
  pathPattern?: string;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  body?: unknown;
  /** With a status (403): only calls with the bearer token of the first matching call get it; a fresh token passes. */
  revokeToken?: boolean;
  times: number;
}
/** A subscription as the Fulfillment API shows it (the fields tests read). */
export interface SandboxSubscription {
  id: string;
  name: string;
  offerId: string;
  saasSubscriptionStatus: string;
  planId: string;
  quantity?: number;
  term: SubscriptionTerm;
  lastModified: string;
}
export interface EmulatorSubscription {
  subscription: SandboxSubscription;
  /** Every operation, oldest first, including a `Subscribe` (which Get Operation may not know, §15.22). */
  operations: Array<{
    id: string;
    action: string;
    status: string;
    operationRequestSource: "Azure" | "Partner";
    settledBy: string | null;
  }>;
}
export interface WebhookDelivery {
  id: string;
  operationId: string;
  action: string;
  subscriptionId: string;
  url: string;
  attempts: Array<{ at: string; status?: number; durationMs: number; error?: string }>;
  delivered: boolean;
  acknowledgement?: { status?: "Success" | "Failure"; autoAccepted?: boolean; at: string };
}
export interface SandboxUsageEvent {
  usageEventId: string;
  resourceId: string;
  dimension: string;
  hourStart: string;
  effectiveStartTime: string;
  quantity: number;
  planId: string;
  via: string;
}
/** What the sandbox's GET /usageEvents reports for one resource, dimension and hour or day (instead of Accepted). */
export interface UsageReconciliationRequest {
  subscriptionId: string;
  dimension: string;
  /** Any instant in the UTC hour; or `day` (YYYY-MM-DD) for the whole UTC day. Exactly one of them. */
  hour?: string | Date;
  day?: string;
  /** An open string: Rejected, Mismatch, Submitted, TestHeaders, DryRun, or one Microsoft has not documented. */
  reconStatus: string;
  /** Default: 0 for Rejected, else what was submitted. */
  processedQuantity?: number;
}
export interface UsageReconciliationOverride {
  subscriptionId: string;
  dimension: string;
  period: "hour" | "day";
  periodStart: string;
  reconStatus: string;
  processedQuantity: number | null;
}
export type MarketplaceAction = "ChangePlan" | "ChangeQuantity" | "Suspend" | "Reinstate" | "Unsubscribe" | "Renew";
export interface RecordedCall {
  method: string;
  path: string;
  /** The API operation called (null when the path/method is none); stable names, see `ApiOperation`. */
  operation: ApiOperation | null;
  /** The subscription id in the path, lower case; null for resolve, list and metering calls. */
  subscriptionId: string | null;
  /** 0 when a variant dropped the connection; `lostAnswer` then holds the answer that was not sent. */
  status: number;
  requestId?: string;
  correlationId?: string;
  time: string;
  lostAnswer?: { status: number; variant: string };
  /** The injected fault that answered this call, if one did. */
  faultId?: string;
  /** The variant whose gateway answered this try instead of the API (throttle-no-retry-after, html-errors). */
  answeredBy?: string;
}
/** Which `/api` calls to list: from `since` (inclusive), of one operation, of one subscription. */
export interface CallFilter {
  since?: Date;
  operation?: ApiOperation;
  subscriptionId?: string;
}
export interface SandboxSettings {
  operationDelayMs?: number;
  activationDelayMs?: number;
  failNextOperations?: number;
  ackTimeoutMs?: number;
  webhookMaxAttempts?: number;
  webhookBackoffMs?: number;
  webhookTimeoutMs?: number;
  /** null: back to the sandbox's default URL. */
  webhookUrl?: string | null;
  /** Variant slow-activation: pending time of an accepted Activate (default 4000). */
  slowActivationMs?: number;
  /** Variant delayed-apply: delay before a succeeded plan/seat change shows (default 3000). */
  applyDelayMs?: number;
  /** Variant reordered-webhooks: how long a new webhook is held (default 2500). */
  webhookHoldMs?: number;
  /** Variant throttle-no-retry-after: tries of each call answered 429 before one is processed (default 1). */
  throttledTries?: number;
  /** Variant html-errors: tries of each GET answered by a gateway's HTML 502/503 before one is processed (default 1). */
  gatewayErrorTries?: number;
  /** Variant pending-expiry: how long a purchase may stay PendingFulfillmentStart (default 120000). */
  pendingExpiryMs?: number;
}
/** The sample product's view (sandbox/product): its settings, the hand-offs and events it saw, newest first. */
export interface SampleProductView {
  settings: {
    jwksUrl: string;
    issuer: string;
    audience: string;
    eventsUrl: string;
    portalUrl: string;
    /** Masked: `whsec_abcd…`. */
    eventSecrets: string[];
  };
  handoffs: Array<{
    id: string;
    at: string;
    verified: boolean;
    reason: string | null;
    claims: Record<string, unknown> | null;
    key: { kid: string | null; alg: string } | null;
  }>;
  events: Array<{
    receivedAt: string;
    webhookId: string | null;
    verified: boolean;
    duplicate: boolean;
    reason: string | null;
    type: string | null;
    body: { type?: string; timestamp?: string; data?: Record<string, unknown> } | null;
  }>;
}
/** Changes to the sample product's settings; null = back to the default (the sandbox's PORTAL_URL, its own origin). */
export interface SampleProductSettings {
  eventSecrets?: string[];
  jwksUrl?: string | null;
  issuer?: string | null;
  audience?: string | null;
}
/** A mail the sandbox's inbox received (sandbox/inbox). */
export interface InboxMail {
  id: string;
  receivedAt: string;
  envelope: { from: string | null; to: string[] };
  from: Array<{ name: string; address: string }>;
  to: Array<{ name: string; address: string }>;
  subject: string;
  messageId: string | null;
  headers: Record<string, string>;
  html: string | null;
  text: string | null;
  tls: boolean;
  auth: { method: string; user: string } | null;
}
/** A post to the inbox's Teams or Slack receiver. */
export interface ChatPost {
  id: string;
  receivedAt: string;
  service: "teams" | "slack";
  channel: string;
  body: unknown;
  answered: number;
}
export interface InboxView {
  smtpPort: number;
  mails: InboxMail[];
  chat: ChatPost[];
}
/** Faults of the inbox: the mail server refusing, the chat receivers failing (null: back to normal). */
export interface InboxFaults {
  smtp?: { refuse?: "none" | "connection" | "temporary" | "permanent"; rejectRecipients?: string[] };
  chat?: { status: number; times?: number; delayMs?: number } | null;
}
export interface SandboxVariants {
  available: Array<{ name: VariantName; description: string }>;
  enabled: VariantName[];
}

/** One JSON request over https, trusting the sandbox CA when given (the test runner may not have it in NODE_EXTRA_CA_CERTS). */
function send(
  url: URL,
  method: string,
  body: string | undefined,
  ca: Buffer | undefined,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca,
        headers:
          body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export function sandboxControl(baseUrl = process.env.SANDBOX_URL, options: { caPath?: string } = {}) {
  if (!baseUrl) throw new Error("SANDBOX_URL is not set");
  const ca = options.caPath ? readFileSync(options.caPath) : undefined;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(
      new URL(`${baseUrl}/sandbox-api${path}`),
      method,
      body === undefined ? undefined : JSON.stringify(body),
      ca,
    );
    if (response.status < 200 || response.status >= 300)
      throw new Error(`sandbox ${method} ${path} → ${response.status}: ${response.text}`);
    return (response.text ? JSON.parse(response.text) : undefined) as T;
  }
  return {
    baseUrl,
    /** Buys as the customer; an auto-activated plan comes back `autoActivated` with its `Subscribe` ids. */
    purchase: (request: PurchaseRequest) => call<PurchaseResult>("POST", "/purchases", request),
    newToken: (subscriptionId: string, tokenTtlSeconds?: number) =>
      call<Purchase>("POST", `/subscriptions/${subscriptionId}/token`, { tokenTtlSeconds }),
    subscription: (subscriptionId: string) => call<EmulatorSubscription>("GET", `/subscriptions/${subscriptionId}`),
    /**
     * Reports this term from now on (no webhook), e.g. `{ termUnit: "PAY" }` or
     * `{ termUnit: "P5Y", chargeDuration: "P1M" }`. Answers the subscription as the API shows it.
     */
    setTerm: (subscriptionId: string, term: TermUpdate) =>
      call<{ subscription: SandboxSubscription }>("POST", `/subscriptions/${subscriptionId}/term`, term).then(
        (result) => result.subscription,
      ),
    addFault: (fault: FaultRequest) => call<{ id: string }>("POST", "/faults", fault),
    clearFaults: () => call<unknown>("DELETE", "/faults"),
    settings: (settings: SandboxSettings) => call<unknown>("POST", "/settings", settings),
    /**
     * Plays these variants of Microsoft's behaviour from now on (replaces the set; [] = none,
     * the documented behaviour). An unknown name is refused (400) and changes nothing.
     */
    variants: (enabled: readonly VariantName[] | "all") => call<SandboxVariants>("POST", "/variants", { enabled }),
    getVariants: () => call<SandboxVariants>("GET", "/variants"),
    /** A change made on Microsoft's side (Azure portal / M365 admin center); "drop" loses its webhook. */
    act: (
      subscriptionId: string,
      action: MarketplaceAction,
      options: { planId?: string; quantity?: number; deliver?: "normal" | "drop" } = {},
    ) =>
      call<{ operationId: string; status: string }>("POST", `/subscriptions/${subscriptionId}/actions`, {
        action,
        ...options,
      }),
    deliveries: (subscriptionId?: string) =>
      call<{ deliveries: WebhookDelivery[] } | WebhookDelivery[]>(
        "GET",
        `/webhooks${subscriptionId ? `?subscriptionId=${subscriptionId}` : ""}`,
      ).then((result) => (Array.isArray(result) ? result : result.deliveries)),
    redeliver: (deliveryId: string) => call<unknown>("POST", `/webhooks/${deliveryId}/redeliver`),
    /** Usage events the Metering API accepted (one per subscription, dimension and hour), oldest hour first. */
    usageEvents: (subscriptionId?: string) =>
      call<{ events: SandboxUsageEvent[] }>(
        "GET",
        `/usage-events${subscriptionId ? `?subscriptionId=${subscriptionId}` : ""}`,
      ).then((result) => result.events),
    /** Makes GET /usageEvents report this reconciliation for a resource, dimension and hour (or day). */
    setUsageReconciliation: (request: UsageReconciliationRequest) =>
      call<UsageReconciliationOverride>("POST", "/usage-reconciliation", {
        ...request,
        hour: request.hour instanceof Date ? request.hour.toISOString() : request.hour,
      }),
    usageReconciliations: (subscriptionId?: string) =>
      call<{ reconciliations: UsageReconciliationOverride[] }>(
        "GET",
        `/usage-reconciliation${subscriptionId ? `?subscriptionId=${subscriptionId}` : ""}`,
      ).then((result) => result.reconciliations),
    /** Back to "Accepted, processed = submitted" for one subscription, or for all. */
    clearUsageReconciliation: (subscriptionId?: string) =>
      call<{ cleared: number }>(
        "DELETE",
        `/usage-reconciliation${subscriptionId ? `?subscriptionId=${subscriptionId}` : ""}`,
      ).then((result) => result.cleared),
    /**
     * The `/api` calls the sandbox answered, oldest first: all, from a time on, or filtered, e.g.
     * `calls({ since, operation: "activate", subscriptionId })` to prove no Activate was made.
     */
    /** A token of the sandbox's workload-identity issuer (sandbox/idp/workload-identity.ts); negative expiresInSeconds: already expired. */
    workloadToken: (request: { subject?: string; audience?: string; expiresInSeconds?: number } = {}) =>
      call<{ token: string; issuer: string; subject: string; audience: string; expiresAt: string }>(
        "POST",
        "/identity/workload-tokens",
        request,
      ),
    /** Uploads a certificate (its public part) to an app, as under Entra's Certificates & secrets. */
    registerCertificate: (clientId: string, certificate: string) =>
      call<{ thumbprint: string; x5tS256: string; notBefore: string; notAfter: string }>(
        "POST",
        `/identity/apps/${clientId}/certificates`,
        { certificate },
      ),
    /** The sample product: settings, hand-offs and events seen (sandbox/product). */
    product: () => call<SampleProductView>("GET", "/product"),
    productSettings: (settings: SampleProductSettings) =>
      call<SampleProductView>("POST", "/product/settings", settings),
    clearProductHistory: () => call<SampleProductView>("DELETE", "/product/history"),
    /** The inbox: the mails and Teams/Slack posts received, newest first (sandbox/inbox). */
    inbox: () => call<InboxView>("GET", "/inbox"),
    clearInbox: () => call<InboxView>("DELETE", "/inbox"),
    inboxFaults: (faults: InboxFaults) => call<InboxView>("POST", "/inbox/faults", faults),
    calls: (filter: Date | CallFilter = {}) => {
      const { since, operation, subscriptionId } = filter instanceof Date ? { since: filter } : filter;
      const query = new URLSearchParams();
      if (since) query.set("since", since.toISOString());
      if (operation) query.set("operation", operation);
      if (subscriptionId) query.set("subscriptionId", subscriptionId);
      const search = query.size > 0 ? `?${query.toString()}` : "";
      return call<{ calls: RecordedCall[] }>("GET", `/calls${search}`).then((result) => result.calls);
    },
  };
}

/** Runs `body` with these sandbox variants on (every one with "all"), and turns them off after, also when it fails. */
export async function withVariants(variants: readonly VariantName[] | "all", body: () => Promise<void>) {
  const sandbox = sandboxControl();
  await sandbox.variants(variants);
  try {
    await body();
  } finally {
    await sandbox.variants([]);
  }
}
