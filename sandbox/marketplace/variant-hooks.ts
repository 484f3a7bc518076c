/**
 * The points where the enabled variants (variants.ts) change what the emulator does. Each hook
 * answers what Microsoft documents when its variants are off, so callers never test variant
 * names themselves:
 *   - answer shaping (gateway):          text-bodies, bare-arrays, unknown-fields
 *   - connection loss (gateway):         lost-answer, ack-answer-lost
 *   - apply timing (Activate, engine):   slow-activation, delayed-apply
 *   - acknowledgement (engine):          notify-only-reinstate
 *   - delivery ordering (webhooks):      reordered-webhooks
 *   - operation visibility (operations): subscribe-operation-unknown
 *   - usage rows (Metering API):         hourly-usage-events
 */
import type { ApiResult, ApiRouteName } from "./api-gateway";
import type { EmulatorSettings, OperationAction, StoredOperation } from "./model";
import { withBareArray, withTextBody, withUnknownFields } from "./variant-answers";
import { VARIANTS, type VariantName } from "./variants";
import { ACKNOWLEDGED_ACTIONS } from "./wire";

export class Variants {
  private on: ReadonlySet<VariantName>;

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
    return shaped;
  }

  // Connection loss -----------------------------------------------------------------------------

  /** The variant that drops the connection instead of sending this answer (the call was processed). */
  answerLostBy(route: ApiRouteName, status: number): VariantName | undefined {
    if (this.has("lost-answer") && (route === "updateSubscription" || route === "deleteSubscription"))
      return "lost-answer";
    // Only an applied acknowledgement answers 200, and only once per operation: a repeat is a 409.
    if (this.has("ack-answer-lost") && route === "updateOperation" && status === 200) return "ack-answer-lost";
    return undefined;
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

  // Delivery ordering ---------------------------------------------------------------------------

  /** How long a new webhook delivery waits before its first attempt (0 = sent at once). */
  webhookHoldMs(): number {
    return this.has("reordered-webhooks") ? this.settings.webhookHoldMs : 0;
  }

  // Usage rows ----------------------------------------------------------------------------------

  /** Whether GET /usageEvents answers per UTC hour instead of per UTC day (marketplace-contract.md §15.23). */
  usageRowsPerHour(): boolean {
    return this.has("hourly-usage-events");
  }
}
