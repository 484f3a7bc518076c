/**
 * Typed client for the SaaS Fulfillment API v2 and the Metering Service API: one function per
 * endpoint of Microsoft's OpenAPI saasapi.v2.json and meteringapi.v1.json. Responses are
 * validated; failures are MarketplaceError. The same code talks to marketplaceapi.microsoft.com
 * and the sandbox.
 */
import { isMarketplaceError } from "./errors";
import { marketplaceRequest, type HttpSettings } from "./http";
import {
  batchUsageEventResponseSchema,
  usageEventListSchema,
  usageEventErrorSchema,
  usageEventResultSchema,
  type BatchUsageEventItem,
  type UsageEvent,
  type UsageEventResult,
  type UsageEventSummary,
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
  /** Epoch ms by which the call, with its retries, must be over (see MarketplaceRequest.deadline). */
  deadline?: number;
}

/**
 * A 202 to PATCH/DELETE: Microsoft accepted the change. Its operation is named by the
 * Operation-Location header; an answer without one (or with a URL we cannot read) is still an
 * acceptance, and the caller finds the operation by asking Microsoft (listOperations).
 */
export interface AcceptedOperation {
  /** Absolute URL of the operation (Operation-Location), when sent. */
  operationLocation?: string;
  operationId?: string;
}

export interface SubscriptionPage {
  subscriptions: MarketplaceSubscription[];
  /** Continuation for the next page, or undefined on the last page. */
  nextLink?: string;
}

/** The answer to one batchUsageEvent call: an item per event, and whether the batch went out more than once. */
export interface BatchUsageEventAnswer {
  items: BatchUsageEventItem[];
  repeated: boolean;
}

/** Microsoft's limit for one batchUsageEvent call (marketplace-contract.md §9.3). */
export const MAX_USAGE_EVENTS_PER_BATCH = 25;

/** Single usageEvent: Accepted, or a 409 because that hour was already billed (§9.2). */
export type SingleUsageEventOutcome =
  | { outcome: "accepted"; event: UsageEventResult }
  /** `accepted`: the event Microsoft already has for that hour (the 409's `additionalInfo.acceptedMessage`), when it sent one. */
  | { outcome: "duplicate"; message?: string; accepted?: UsageEventResult };

export interface UsageEventListFilter {
  usageStartDate: Date;
  usageEndDate?: Date;
  offerId?: string;
  planId?: string;
  dimension?: string;
  reconStatus?: string;
}

const seg = (value: string) => encodeURIComponent(value);

/**
 * A time in one of the forms the Metering API documents for its query (§9.5): `2020-12-03` for a
 * UTC midnight, else `2020-12-03T15:00` (UTC, to the minute).
 */
export function usageQueryTime(date: Date): string {
  const iso = date.toISOString();
  return iso.slice(11) === "00:00:00.000Z" ? iso.slice(0, 10) : iso.slice(0, 16);
}

function usageEventBody(event: UsageEvent) {
  return {
    resourceId: event.resourceId,
    quantity: event.quantity,
    dimension: event.dimension,
    effectiveStartTime: event.effectiveStartTime.toISOString(),
    planId: event.planId,
  };
}

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

export function operationIdFromLocation(location: string): string | undefined {
  const match = /\/operations\/([^/?#]+)/.exec(location);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

export function createMarketplaceClient(settings: HttpSettings) {
  function accepted(response: { headers: Headers }): AcceptedOperation {
    const location = response.headers.get("operation-location")?.trim();
    const operationId = location ? operationIdFromLocation(location) : undefined;
    return { ...(location ? { operationLocation: location } : {}), ...(operationId ? { operationId } : {}) };
  }

  return {
    /** POST /saas/subscriptions/resolve — `token` is the URL-decoded purchase token (§4.4). */
    async resolveSubscription(token: string, options: CallOptions = {}): Promise<ResolvedSubscription> {
      const response = await marketplaceRequest(settings, {
        operation: "resolveSubscription",
        method: "POST",
        path: "/saas/subscriptions/resolve",
        headers: { "x-ms-marketplace-token": token },
        schema: resolvedSubscriptionSchema,
        retry: "idempotent",
        ...options,
      });
      return response.data;
    },

    /**
     * POST /saas/subscriptions/{id}/activate with the plan (and seats) as resolved (§6.2). Retried
     * here only on 429: Microsoft's idempotence is unverified (§10.3, §15.25), so after a timeout or
     * a 5xx the caller reads the subscription before sending it again (subscriptions/send-activate.ts).
     */
    async activateSubscription(subscriptionId: string, plan: SubscriberPlan, options: CallOptions = {}): Promise<void> {
      await marketplaceRequest(settings, {
        operation: "activateSubscription",
        method: "POST",
        path: `/saas/subscriptions/${seg(subscriptionId)}/activate`,
        body: plan,
        response: "none",
        retry: "throttle-only",
        ...options,
      });
    },

    /** GET /saas/subscriptions/{id} */
    async getSubscription(subscriptionId: string, options: CallOptions = {}): Promise<MarketplaceSubscription> {
      const response = await marketplaceRequest(settings, {
        operation: "getSubscription",
        method: "GET",
        path: `/saas/subscriptions/${seg(subscriptionId)}`,
        schema: subscriptionSchema,
        retry: "idempotent",
        ...options,
      });
      return response.data;
    },

    /** GET /saas/subscriptions — one page (100); pass the previous page's nextLink to continue. */
    async listSubscriptions(nextLink?: string, options: CallOptions = {}): Promise<SubscriptionPage> {
      const response = await marketplaceRequest(settings, {
        operation: "listSubscriptions",
        method: "GET",
        path: nextLink ?? "/saas/subscriptions",
        schema: subscriptionsResponseSchema,
        emptyBody: { subscriptions: [] },
        retry: "idempotent",
        ...options,
      });
      return {
        subscriptions: response.data.subscriptions,
        nextLink: continuationFrom(response.data["@nextLink"], settings.baseUrl),
      };
    },

    /** GET /saas/subscriptions/{id}/listAvailablePlans[?planId=] */
    async listAvailablePlans(subscriptionId: string, planId?: string, options: CallOptions = {}): Promise<Plan[]> {
      const response = await marketplaceRequest(settings, {
        operation: "listAvailablePlans",
        method: "GET",
        path: `/saas/subscriptions/${seg(subscriptionId)}/listAvailablePlans`,
        query: { planId },
        schema: subscriptionPlansSchema,
        emptyBody: { plans: [] },
        retry: "idempotent",
        ...options,
      });
      return response.data.plans;
    },

    /** PATCH /saas/subscriptions/{id} { planId } → 202 + Operation-Location (§6.6). */
    async changePlan(subscriptionId: string, planId: string, options: CallOptions = {}): Promise<AcceptedOperation> {
      const response = await marketplaceRequest(settings, {
        operation: "changePlan",
        method: "PATCH",
        path: `/saas/subscriptions/${seg(subscriptionId)}`,
        body: { planId },
        response: "none",
        retry: "throttle-only",
        ...options,
      });
      return accepted(response);
    },

    /** PATCH /saas/subscriptions/{id} { quantity } → 202 + Operation-Location (§6.7). Never both plan and quantity. */
    async changeQuantity(
      subscriptionId: string,
      quantity: number,
      options: CallOptions = {},
    ): Promise<AcceptedOperation> {
      const response = await marketplaceRequest(settings, {
        operation: "changeQuantity",
        method: "PATCH",
        path: `/saas/subscriptions/${seg(subscriptionId)}`,
        body: { quantity },
        response: "none",
        retry: "throttle-only",
        ...options,
      });
      return accepted(response);
    },

    /** DELETE /saas/subscriptions/{id} → 202 + Operation-Location (§6.8). */
    async deleteSubscription(subscriptionId: string, options: CallOptions = {}): Promise<AcceptedOperation> {
      const response = await marketplaceRequest(settings, {
        operation: "deleteSubscription",
        method: "DELETE",
        path: `/saas/subscriptions/${seg(subscriptionId)}`,
        response: "none",
        retry: "throttle-only",
        ...options,
      });
      return accepted(response);
    },

    /** GET /saas/subscriptions/{id}/operations — operations awaiting our acknowledgement (§7.1). */
    async listOperations(subscriptionId: string, options: CallOptions = {}): Promise<MarketplaceOperation[]> {
      const response = await marketplaceRequest(settings, {
        operation: "listOperations",
        method: "GET",
        path: `/saas/subscriptions/${seg(subscriptionId)}/operations`,
        schema: operationListSchema,
        emptyBody: { operations: [] },
        retry: "idempotent",
        ...options,
      });
      return response.data.operations;
    },

    /** GET /saas/subscriptions/{id}/operations/{operationId}, or the Operation-Location URL itself. */
    async getOperation(
      subscriptionId: string,
      operationId: string,
      options: CallOptions = {},
    ): Promise<MarketplaceOperation> {
      const response = await marketplaceRequest(settings, {
        operation: "getOperation",
        method: "GET",
        path: `/saas/subscriptions/${seg(subscriptionId)}/operations/${seg(operationId)}`,
        schema: operationSchema,
        retry: "idempotent",
        ...options,
      });
      return response.data;
    },

    /** PATCH /saas/subscriptions/{id}/operations/{operationId} { status } — the acknowledgement (§7.3). */
    async updateOperation(
      subscriptionId: string,
      operationId: string,
      status: "Success" | "Failure",
      options: CallOptions = {},
    ): Promise<void> {
      await marketplaceRequest(settings, {
        operation: "updateOperation",
        method: "PATCH",
        path: `/saas/subscriptions/${seg(subscriptionId)}/operations/${seg(operationId)}`,
        body: { status },
        response: "none",
        retry: "idempotent",
        ...options,
      });
    },

    /**
     * POST /usageEvent — one event (§9.2). Repeating it is safe: Microsoft bills one event per
     * resource, dimension and hour and answers a repeat with 409, returned here as "duplicate".
     */
    async usageEvent(event: UsageEvent, options: CallOptions = {}): Promise<SingleUsageEventOutcome> {
      try {
        const response = await marketplaceRequest(settings, {
          operation: "usageEvent",
          method: "POST",
          path: "/usageEvent",
          body: usageEventBody(event),
          schema: usageEventResultSchema,
          retry: "idempotent",
          ...options,
        });
        return { outcome: "accepted", event: response.data };
      } catch (error) {
        if (isMarketplaceError(error, "conflict")) {
          const conflict = usageEventErrorSchema.safeParse(error.body);
          const accepted = conflict.success ? (conflict.data.additionalInfo?.acceptedMessage ?? undefined) : undefined;
          return { outcome: "duplicate", message: error.detail, ...(accepted ? { accepted } : {}) };
        }
        throw error;
      }
    },

    /**
     * POST /batchUsageEvent — 1 to 25 events (§9.3). A 200 says nothing about each event: every
     * item carries its own status (Accepted, Duplicate with the accepted event, Expired, ...).
     * `repeated`: the batch was sent again after a try that may have reached Microsoft, so a
     * Duplicate with our quantity may be our own event.
     */
    async batchUsageEvent(events: UsageEvent[], options: CallOptions = {}): Promise<BatchUsageEventAnswer> {
      if (events.length === 0 || events.length > MAX_USAGE_EVENTS_PER_BATCH) {
        throw new RangeError(`batchUsageEvent takes 1 to ${MAX_USAGE_EVENTS_PER_BATCH} events, not ${events.length}`);
      }
      const response = await marketplaceRequest(settings, {
        operation: "batchUsageEvent",
        method: "POST",
        path: "/batchUsageEvent",
        body: { request: events.map(usageEventBody) },
        schema: batchUsageEventResponseSchema,
        retry: "idempotent",
        ...options,
      });
      return { items: response.data.result, repeated: response.repeated };
    },

    /**
     * GET /usageEvents — what Microsoft recorded and how it reconciled it, per resource, dimension
     * and day or hour (§9.5, §15.23). Read tolerantly: a wrapper around the array, numbers as text,
     * unknown `reconStatus` values kept as their text, `usageDate` without an offset taken as UTC.
     */
    async listUsageEvents(filter: UsageEventListFilter, options: CallOptions = {}): Promise<UsageEventSummary[]> {
      const response = await marketplaceRequest(settings, {
        operation: "listUsageEvents",
        method: "GET",
        path: "/usageEvents",
        query: {
          usageStartDate: usageQueryTime(filter.usageStartDate),
          // Capital U, as in the OpenAPI description.
          UsageEndDate: filter.usageEndDate ? usageQueryTime(filter.usageEndDate) : undefined,
          offerId: filter.offerId,
          planId: filter.planId,
          dimension: filter.dimension,
          reconStatus: filter.reconStatus,
        },
        schema: usageEventListSchema,
        emptyBody: [],
        retry: "idempotent",
        ...options,
      });
      return response.data;
    },
  };
}

export type MarketplaceClient = ReturnType<typeof createMarketplaceClient>;
