/** Client for the sandbox's control API (/sandbox-api), used by integration tests, e2e and benchmarks. */
export interface Purchase { subscriptionId: string; token: string; tokenExpiresAt: string; landingUrl: string }
export interface PurchaseRequest {
  offerId: string;
  planId: string;
  quantity?: number;
  beneficiary: { tid: string; oid: string };
  purchaser?: { tid: string; oid: string };
  csp?: boolean;
  isTest?: boolean;
  isFreeTrial?: boolean;
  name?: string;
  tokenTtlSeconds?: number;
}
export interface FaultRequest { method?: string; pathPattern?: string; status: number; retryAfterSeconds?: number; delayMs?: number; body?: unknown; times: number }
export interface EmulatorSubscription {
  subscription: { id: string; saasSubscriptionStatus: string; planId: string; quantity?: number; term?: { startDate?: string; endDate?: string } };
  operations: Array<{ id: string; action: string; status: string }>;
}
export interface RecordedCall { method: string; path: string; status: number; requestId?: string; correlationId?: string; time: string }

export function sandboxControl(baseUrl = process.env.SANDBOX_URL) {
  if (!baseUrl) throw new Error("SANDBOX_URL is not set");
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${baseUrl}/sandbox-api${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`sandbox ${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return {
    baseUrl,
    purchase: (request: PurchaseRequest) => call<Purchase>("POST", "/purchases", request),
    newToken: (subscriptionId: string, tokenTtlSeconds?: number) => call<Purchase>("POST", `/subscriptions/${subscriptionId}/token`, { tokenTtlSeconds }),
    subscription: (subscriptionId: string) => call<EmulatorSubscription>("GET", `/subscriptions/${subscriptionId}`),
    addFault: (fault: FaultRequest) => call<{ id: string }>("POST", "/faults", fault),
    clearFaults: () => call<unknown>("DELETE", "/faults"),
    settings: (settings: { operationDelayMs?: number; activationDelayMs?: number; failNextOperations?: number }) => call<unknown>("POST", "/settings", settings),
    calls: (since?: Date) => call<{ calls: RecordedCall[] }>("GET", `/calls${since ? `?since=${encodeURIComponent(since.toISOString())}` : ""}`).then((result) => result.calls),
  };
}
