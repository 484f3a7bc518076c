/**
 * Typed client for the SaaS Fulfillment API v2: one function per endpoint of
 * shared/marketplace-openapi/saasapi.v2.json. Responses are validated; failures are
 * MarketplaceError. The same code talks to marketplaceapi.microsoft.com and the sandbox.
 */
import { z } from "zod";
import { MarketplaceError } from "./errors";
import { marketplaceRequest, type HttpSettings } from "./http";
import {
  operationListSchema,
  operationSchema,
  resolvedSubscriptionSchema,
  subscriptionPlansSchema,
  subscriptionSchema,
  subscriptionsResponseSchema,
  type MarketplaceOperation,
  type MarketplaceSubscription,
  type Plan,
  type ResolvedSubscription,
  type SubscriberPlan,
} from "./schemas";

export interface CallOptions {
  correlationId?: string;
}

export interface AcceptedOperation {
  /** Absolute URL of the operation (Operation-Location). */
  operationLocation: string;
  operationId: string;
}

export interface SubscriptionPage {
  subscriptions: MarketplaceSubscription[];
  /** Continuation for the next page, or undefined on the last page. */
  nextLink?: string;
}

const seg = (value: string) => encodeURIComponent(value);

/**
 * Only the `@nextLink` value is trusted when it parses as an absolute https URL on the API host;
 * otherwise its continuationToken is passed back (the docs' own sample link is malformed, §6.3).
 */
function continuationFrom(nextLink: string | null | undefined, baseUrl: string): string | undefined {
  if (!nextLink?.trim()) return undefined;
  try {
    const url = new URL(nextLink);
    if (url.origin === new URL(baseUrl).origin) return url.toString();
  } catch {
    // fall through
  }
  const token = /continuationToken=([^&\s]+)/.exec(nextLink)?.[1];
  if (!token) return undefined;
  const url = new URL(`${baseUrl.replace(/\/+$/, "")}/saas/subscriptions`);
  url.searchParams.set("continuationToken", decodeURIComponent(token));
  return url.toString();
}

export function operationIdFromLocation(location: string): string {
  const match = /\/operations\/([^/?#]+)/.exec(location);
  if (!match?.[1]) throw new Error(`Operation-Location without an operation id: ${location}`);
  return decodeURIComponent(match[1]);
}

export function createMarketplaceClient(settings: HttpSettings) {
  async function accepted(operation: string, response: { headers: Headers; requestId: string; correlationId: string; status: number }): Promise<AcceptedOperation> {
    const location = response.headers.get("operation-location");
    if (!location) {
      throw new MarketplaceError({ kind: "invalid_response", operation, status: response.status, message: `${operation}: 202 without an Operation-Location header`, requestId: response.requestId, correlationId: response.correlationId });
    }
    return { operationLocation: location, operationId: operationIdFromLocation(location) };
  }

  return {
    /** POST /saas/subscriptions/resolve — `token` is the URL-decoded purchase token (§4.4). */
    async resolveSubscription(token: string, options: CallOptions = {}): Promise<ResolvedSubscription> {
      const response = await marketplaceRequest(settings, {
        operation: "resolveSubscription", method: "POST", path: "/saas/subscriptions/resolve",
        headers: { "x-ms-marketplace-token": token }, schema: resolvedSubscriptionSchema, retry: "idempotent", ...options,
      });
      return response.data;
    },

    /** POST /saas/subscriptions/{id}/activate with the plan (and seats) as resolved (§6.2). */
    async activateSubscription(subscriptionId: string, plan: SubscriberPlan, options: CallOptions = {}): Promise<void> {
      await marketplaceRequest(settings, {
        operation: "activateSubscription", method: "POST", path: `/saas/subscriptions/${seg(subscriptionId)}/activate`,
        body: plan, retry: "idempotent", ...options,
      });
    },

    /** GET /saas/subscriptions/{id} */
    async getSubscription(subscriptionId: string, options: CallOptions = {}): Promise<MarketplaceSubscription> {
      const response = await marketplaceRequest(settings, {
        operation: "getSubscription", method: "GET", path: `/saas/subscriptions/${seg(subscriptionId)}`,
        schema: subscriptionSchema, retry: "idempotent", ...options,
      });
      return response.data;
    },

    /** GET /saas/subscriptions — one page (100); pass the previous page's nextLink to continue. */
    async listSubscriptions(nextLink?: string, options: CallOptions = {}): Promise<SubscriptionPage> {
      const response = await marketplaceRequest(settings, {
        operation: "listSubscriptions", method: "GET", path: nextLink ?? "/saas/subscriptions",
        schema: subscriptionsResponseSchema, emptyBody: { subscriptions: [] }, retry: "idempotent", ...options,
      });
      return { subscriptions: response.data.subscriptions, nextLink: continuationFrom(response.data["@nextLink"], settings.baseUrl) };
    },

    /** GET /saas/subscriptions/{id}/listAvailablePlans[?planId=] */
    async listAvailablePlans(subscriptionId: string, planId?: string, options: CallOptions = {}): Promise<Plan[]> {
      const response = await marketplaceRequest(settings, {
        operation: "listAvailablePlans", method: "GET", path: `/saas/subscriptions/${seg(subscriptionId)}/listAvailablePlans`,
        query: { planId }, schema: subscriptionPlansSchema, emptyBody: { plans: [] }, retry: "idempotent", ...options,
      });
      return response.data.plans;
    },

    /** PATCH /saas/subscriptions/{id} { planId } → 202 + Operation-Location (§6.6). */
    async changePlan(subscriptionId: string, planId: string, options: CallOptions = {}): Promise<AcceptedOperation> {
      const response = await marketplaceRequest(settings, {
        operation: "changePlan", method: "PATCH", path: `/saas/subscriptions/${seg(subscriptionId)}`,
        body: { planId }, retry: "throttle-only", ...options,
      });
      return accepted("changePlan", response);
    },

    /** PATCH /saas/subscriptions/{id} { quantity } → 202 + Operation-Location (§6.7). Never both plan and quantity. */
    async changeQuantity(subscriptionId: string, quantity: number, options: CallOptions = {}): Promise<AcceptedOperation> {
      const response = await marketplaceRequest(settings, {
        operation: "changeQuantity", method: "PATCH", path: `/saas/subscriptions/${seg(subscriptionId)}`,
        body: { quantity }, retry: "throttle-only", ...options,
      });
      return accepted("changeQuantity", response);
    },

    /** DELETE /saas/subscriptions/{id} → 202 + Operation-Location (§6.8). */
    async deleteSubscription(subscriptionId: string, options: CallOptions = {}): Promise<AcceptedOperation> {
      const response = await marketplaceRequest(settings, {
        operation: "deleteSubscription", method: "DELETE", path: `/saas/subscriptions/${seg(subscriptionId)}`,
        retry: "throttle-only", ...options,
      });
      return accepted("deleteSubscription", response);
    },

    /** GET /saas/subscriptions/{id}/operations — operations awaiting our acknowledgement (§7.1). */
    async listOperations(subscriptionId: string, options: CallOptions = {}): Promise<MarketplaceOperation[]> {
      const response = await marketplaceRequest(settings, {
        operation: "listOperations", method: "GET", path: `/saas/subscriptions/${seg(subscriptionId)}/operations`,
        schema: operationListSchema, emptyBody: { operations: [] }, retry: "idempotent", ...options,
      });
      return response.data.operations;
    },

    /** GET /saas/subscriptions/{id}/operations/{operationId}, or the Operation-Location URL itself. */
    async getOperation(subscriptionId: string, operationId: string, options: CallOptions = {}): Promise<MarketplaceOperation> {
      const response = await marketplaceRequest(settings, {
        operation: "getOperation", method: "GET", path: `/saas/subscriptions/${seg(subscriptionId)}/operations/${seg(operationId)}`,
        schema: operationSchema, retry: "idempotent", ...options,
      });
      return response.data;
    },

    /** PATCH /saas/subscriptions/{id}/operations/{operationId} { status } — the acknowledgement (§7.3). */
    async updateOperation(subscriptionId: string, operationId: string, status: "Success" | "Failure", options: CallOptions = {}): Promise<void> {
      await marketplaceRequest(settings, {
        operation: "updateOperation", method: "PATCH", path: `/saas/subscriptions/${seg(subscriptionId)}/operations/${seg(operationId)}`,
        body: { status }, schema: z.unknown(), retry: "idempotent", ...options,
      });
    },
  };
}

export type MarketplaceClient = ReturnType<typeof createMarketplaceClient>;
