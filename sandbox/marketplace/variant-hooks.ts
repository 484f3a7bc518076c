/**
 * The points where the enabled variants (variants.ts) change what the emulator does. Each hook
 * answers what Microsoft documents when its variants are off, so callers never test variant
 * names themselves:
 *   - answer shaping (gateway):          text-bodies, bare-arrays, unknown-fields, no-operation-location
 *   - gateway answers (gateway):         throttle-no-retry-after, html-errors
 *   - connection loss (gateway):         lost-answer, ack-answer-lost
 *   - idempotence (Activate):            activate-not-idempotent
 *   - apply timing (Activate, engine):   slow-activation, delayed-apply
 *   - acknowledgement (engine):          notify-only-reinstate
 *   - delivery ordering (webhooks):      reordered-webhooks
 *   - operation visibility (operations): subscribe-operation-unknown, operation-statuses
 *   - usage rows (Metering API):         hourly-usage-events
 *   - usage batch answers (Metering API): mixed-usage-batch
 *   - purchase expiry (pending-expiry.ts): pending-expiry
 *   - webhook tokens (webhooks):         app-id-uri-audience, v2-webhook-tokens
 */
import type { ApiResult, ApiRouteName } from "./api-gateway";
import type { EmulatorSettings, OperationAction, StoredOperation } from "./model";
import {
  htmlErrorPage,
  withBareArray,
  withoutOperationLocation,
  withTextBody,
  withUnknownFields,
} from "./variant-answers";
import { VARIANTS, type VariantName } from "./variants";
import { ACKNOWLEDGED_ACTIONS } from "./wire";

/** A try of a call, as the gateway sees it before anything is processed. */
export interface GatewayTry {
  method: string;
  path: string;
  correlationId: string;
}

/** How many distinct calls the gateway remembers tries of (oldest forgotten first). */
const REMEMBERED_CALLS = 5000;

export class Variants {
  private on: ReadonlySet<VariantName>;
  /** Tries seen per call (correlation id, method, path), for the gateway answers. */
  private readonly tries = new Map<string, number>();

  /** `settings` is the emulator's live settings object: the hooks read the timings from it when called. */
  constructor(
    private readonly settings: EmulatorSettings,
    enabled: readonly VariantName[] = [],
  ) {
    this.on = new Set(enabled);
  }

  has(name: VariantName): boolean {
    return this.on.has(name);
  }

  /** The enabled variants, in registry order. */
  enabled(): VariantName[] {
    return VARIANTS.map((v) => v.name).filter((name) => this.on.has(name));
  }

  /** Replaces the whole set (what is already under way, e.g. a held webhook, carries on). */
  replace(enabled: readonly VariantName[]): void {
    this.on = new Set(enabled);
  }

  // Answer shaping ------------------------------------------------------------------------------

  /** The answer a handler gave (2xx only; errors and injected faults are never reshaped). */
  shapeAnswer(route: ApiRouteName, result: ApiResult): ApiResult {
    let shaped = result;
    if (this.has("text-bodies")) shaped = withTextBody(route, shaped);
    if (this.has("bare-arrays")) shaped = withBareArray(route, shaped);
    if (this.has("unknown-fields")) shaped = withUnknownFields(route, shaped);
    if (this.has("no-operation-location")) shaped = withoutOperationLocation(route, shaped);
    return shaped;
  }

  // Gateway answers ---------------------------------------------------------------------------

  /**
   * An answer the gateway in front of the API gives instead of processing this try (nothing is
   * processed), or undefined. Tries are counted per call (same correlation id, method and path):
   * throttle-no-retry-after refuses the first `throttledTries` with 429 without Retry-After;
   * html-errors answers the next `gatewayErrorTries` of a GET with an HTML 502, then 503, page.
   */
  gatewayAnswer(call: GatewayTry): { variant: VariantName; result: ApiResult } | undefined {
    const throttling = this.has("throttle-no-retry-after");
    const gatewayErrors = this.has("html-errors") && call.method === "GET";
    if (!throttling && !gatewayErrors) return undefined;
    const key = `${call.correlationId} ${call.method} ${call.path}`;
    const seen = (this.tries.get(key) ?? 0) + 1;
    this.tries.delete(key);
    this.tries.set(key, seen);
    if (this.tries.size > REMEMBERED_CALLS) this.tries.delete(this.tries.keys().next().value ?? key);
    const throttled = throttling ? this.settings.throttledTries : 0;
    if (seen <= throttled)
      return {
        variant: "throttle-no-retry-after",
        result: {
          status: 429,
          body: { error: { code: "TooManyRequests", message: "Rate limit is exceeded. Try again later." } },
        },
      };
    if (gatewayErrors && seen - throttled <= this.settings.gatewayErrorTries)
      return { variant: "html-errors", result: htmlErrorPage((seen - throttled) % 2 === 1 ? 502 : 503) };
    return undefined;
  }

  /** html-errors: a 5xx answer (a handler's, an injected fault's) as a gateway's HTML page; others unchanged. */
  shapeServerError(result: ApiResult): ApiResult {
    if (!this.has("html-errors") || result.status < 500) return result;
    return { ...htmlErrorPage(result.status), headers: { ...result.headers, "content-type": "text/html" } };
  }

  // Connection loss -----------------------------------------------------------------------------

  /** The variant that drops the connection instead of sending this answer (the call was processed). */
  answerLostBy(route: ApiRouteName, result: Pick<ApiResult, "status" | "changedState">): VariantName | undefined {
    if (this.has("lost-answer")) {
      if (route === "updateSubscription" || route === "deleteSubscription") return "lost-answer";
      // Only the Activate that activated, the batch that accepted events: a repeat gets its answer
      // (already active, Duplicate), so a client that asks again learns what happened.
      if ((route === "activate" || route === "batchUsageEvent") && result.changedState) return "lost-answer";
    }
    // Only an applied acknowledgement answers 200, and only once per operation: a repeat is a 409.
    if (this.has("ack-answer-lost") && route === "updateOperation" && result.status === 200) return "ack-answer-lost";
    return undefined;
  }

  // Idempotence ---------------------------------------------------------------------------------

  /**
   * Whether a repeated Activate (already activated, or under way) is refused with 400 instead of the
   * documented harmless 200; Microsoft's idempotence of Activate is not verified (marketplace-contract.md §10.3, §15.25).
   */
  refusesRepeatedActivation(): boolean {
    return this.has("activate-not-idempotent");
  }

  // Apply timing --------------------------------------------------------------------------------

  /** How long an accepted Activate keeps PendingFulfillmentStart; an explicit activationDelayMs wins. */
  activationDelayMs(): number {
    if (this.settings.activationDelayMs > 0 || !this.has("slow-activation")) return this.settings.activationDelayMs;
    return this.settings.slowActivationMs;
  }

  /** How long after a change succeeded the subscription shows it (0 = at once, as documented). */
  applyDelayMs(action: OperationAction): number {
    if (!this.has("delayed-apply") || (action !== "ChangePlan" && action !== "ChangeQuantity")) return 0;
    return this.settings.applyDelayMs;
  }

  // Acknowledgement -----------------------------------------------------------------------------

  /** Whether a marketplace-side action waits for the ISV's acknowledgement (marketplace-contract.md §7.4, §15.4). */
  awaitsAcknowledgement(action: OperationAction): boolean {
    if (action === "Reinstate" && this.has("notify-only-reinstate")) return false;
    return ACKNOWLEDGED_ACTIONS.has(action);
  }

  // Operation visibility ------------------------------------------------------------------------

  /**
   * Whether the Operations API (Get Operation, List outstanding) knows this operation. Microsoft
   * does not say whether it knows the operation of a `Subscribe` webhook (marketplace-contract.md §4.7, §15.22).
   */
  operationKnown(operation: Pick<StoredOperation, "action">): boolean {
    return !(operation.action === "Subscribe" && this.has("subscribe-operation-unknown"));
  }

  /**
   * The status the Operations API shows (marketplace-contract.md §15.7, §15.30): under operation-statuses a
   * publisher-initiated change Microsoft has not picked up yet (first half of its processing time) is `NotStarted`.
   */
  shownOperationStatus(operation: StoredOperation, now: Date): StoredOperation["status"] {
    if (!this.has("operation-statuses") || operation.source !== "Partner" || operation.status !== "InProgress")
      return operation.status;
    if (operation.phase === "awaitingAck") return operation.status;
    const start = Date.parse(operation.timeStamp);
    const due = Date.parse(operation.dueAt);
    return now.getTime() < start + (due - start) / 2 ? "NotStarted" : operation.status;
  }

  /** How an injected failure (failNextOperations) ends: `Failed`, or `Conflict` under operation-statuses. */
  injectedFailureStatus(): "Failed" | "Conflict" {
    return this.has("operation-statuses") ? "Conflict" : "Failed";
  }

  // Delivery ordering ---------------------------------------------------------------------------

  /** How long a new webhook delivery waits before its first attempt (0 = sent at once). */
  webhookHoldMs(): number {
    return this.has("reordered-webhooks") ? this.settings.webhookHoldMs : 0;
  }

  // Webhook tokens ------------------------------------------------------------------------------

  /** The webhook token's `aud` for the publisher's fulfillment app (marketplace-contract.md §8.4, §15.27). */
  webhookAudience(clientId: string): string {
    return this.has("app-id-uri-audience") ? `api://${clientId}` : clientId;
  }

  /** The webhook token's version: v1 as Microsoft's Accelerator shows, or v2 (marketplace-contract.md §8.4, §15.28). */
  webhookTokenVersion(): 1 | 2 {
    return this.has("v2-webhook-tokens") ? 2 : 1;
  }

  // Usage batch answers -------------------------------------------------------------------------

  /**
   * mixed-usage-batch: the outcome forced on the batch item at `index` (0-based, request order)
   * instead of judging it, or undefined to judge it as usual. Of every four items the 2nd is
   * Expired, the 3rd ResourceNotFound, the 4th InvalidQuantity; a forced item is not recorded.
   */
  forcedUsageOutcome(
    index: number,
  ): { status: "Expired" | "ResourceNotFound" | "InvalidQuantity"; message: string; target: string } | undefined {
    if (!this.has("mixed-usage-batch")) return undefined;
    switch (index % 4) {
      case 1:
        return {
          status: "Expired",
          message: "The usage event is older than 24 hours (sandbox mixed-usage-batch).",
          target: "effectiveStartTime",
        };
      case 2:
        return {
          status: "ResourceNotFound",
          message: "The resource was not found (sandbox mixed-usage-batch).",
          target: "resourceId",
        };
      case 3:
        return {
          status: "InvalidQuantity",
          message: "The quantity is not valid (sandbox mixed-usage-batch).",
          target: "quantity",
        };
      default:
        return undefined;
    }
  }

  /** mixed-usage-batch: batch results in reverse request order (Microsoft's documents promise no order). */
  usageResultsReversed(): boolean {
    return this.has("mixed-usage-batch");
  }

  // Purchase expiry -----------------------------------------------------------------------------

  /** Whether a purchase left pending for `pendingExpiryMs` is ended by Microsoft (marketplace-contract.md §15.10). */
  expiresPendingPurchases(): boolean {
    return this.has("pending-expiry");
  }

  // Usage rows ----------------------------------------------------------------------------------

  /** Whether GET /usageEvents answers per UTC hour instead of per UTC day (marketplace-contract.md §15.23). */
  usageRowsPerHour(): boolean {
    return this.has("hourly-usage-events");
  }
}
