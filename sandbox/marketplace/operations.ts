/**
 * Lifecycle of asynchronous operations and the webhooks they raise (marketplace-contract.md §4.5, §4.6, §7, §8).
 *
 * Publisher-initiated (`source: Partner`, PATCH/DELETE subscription):
 *   InProgress/processing for `operationDelayMs` (Microsoft working on it), then
 *   - an injected failure (`failNextOperations`) ends `Failed`, without a webhook;
 *   - Unsubscribe is applied, ends `Succeeded`, and its webhook (status Succeeded) is sent;
 *   - ChangePlan/ChangeQuantity raise their webhook (InProgress) and wait for the ACK (below).
 *
 * Marketplace-side (`source: Azure`, the customer or Microsoft, via the control API or pages):
 *   - Subscribe (a purchase of an auto-activated plan, §4.7), Suspend, Unsubscribe, Renew are
 *     applied at once (`Succeeded`), then notified;
 *   - ChangePlan, ChangeQuantity, Reinstate raise their webhook (InProgress) and wait for the ACK.
 *
 * Waiting for the ACK: the ISV's PATCH operation `Success` applies the change, `Failure` keeps
 * the subscription as it is; a 4xx answer to a ChangePlan/ChangeQuantity webhook is a refusal
 * too (§7.4); silence for `ackTimeoutMs` (10 s) applies it as if accepted (`autoAccept`).
 *
 * Every step is in the state file (`phase`, `dueAt`, `ackDueAt`), so after a restart the timers
 * pick up where they were, or fire at once when their time has passed.
 *
 * Variants (variant-hooks.ts) change two steps: whether a marketplace-side action waits for an
 * acknowledgement (notify-only-reinstate), and when a succeeded change reaches the subscription
 * (delayed-apply: `applyDueAt`, applied by `applyDueChanges` on the next read).
 */
import { randomUUID } from "node:crypto";
import type { Catalog } from "../types";
import { findPlan } from "./catalog";
import type { EmulatorSettings, OperationAction, StoredDelivery, StoredOperation, StoredSubscription } from "./model";
import type { MarketplaceStore } from "./store";
import { nextTerm, setTermDates, termDates } from "./term";
import type { Variants } from "./variant-hooks";
import type { WebhookDispatcher } from "./webhooks";
import { ACKNOWLEDGED_ACTIONS, webhookPayload } from "./wire";

export interface Settlement {
  status: "Succeeded" | "Failed" | "Conflict";
  errorStatusCode?: string;
  errorMessage?: string;
}

export interface OperationRequest {
  action: OperationAction;
  /** Target plan (ChangePlan) or the current one. */
  planId: string;
  /** Target seats (ChangeQuantity, ChangePlan to a per-seat plan) or the current ones; absent for flat plans. */
  quantity?: number | undefined;
}

export type Delivery = "normal" | "drop";

type SettledBy = NonNullable<StoredOperation["settledBy"]>;

const SUCCEEDED: Settlement = { status: "Succeeded" };

/** Answers to a ChangePlan/ChangeQuantity webhook that are transport problems, not a refusal. */
const NOT_A_REFUSAL = new Set([401, 403, 404, 405, 408, 429]);

export class OperationEngine {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly store: MarketplaceStore,
    private readonly catalog: Catalog,
    private readonly settings: EmulatorSettings,
    private readonly webhooks: WebhookDispatcher,
    private readonly variants: Variants,
  ) {
    webhooks.onAnswer = (delivery, status) => this.onWebhookAnswer(delivery, status);
  }

  /** Publisher-initiated PATCH/DELETE: a new InProgress operation, processed after `operationDelayMs`. */
  async start(subscription: StoredSubscription, request: OperationRequest): Promise<StoredOperation> {
    const now = new Date();
    const injectedFailure = this.settings.failNextOperations > 0;
    if (injectedFailure) this.settings.failNextOperations -= 1;
    const operation = newOperation(subscription, request, "Partner", now, {
      dueAt: new Date(now.getTime() + this.settings.operationDelayMs).toISOString(),
      injectedFailure,
      phase: "processing",
    });
    this.store.addOperation(operation);
    await this.store.persist();
    this.scheduleProcessing(operation);
    return operation;
  }

  /**
   * A marketplace-side action (the customer in the Azure portal / M365 admin center, or
   * Microsoft). The request must have been validated (marketplace-actions.ts).
   */
  async startMarketplaceAction(
    subscription: StoredSubscription,
    request: OperationRequest,
    deliver: Delivery = "normal",
  ): Promise<{ operation: StoredOperation; delivery?: StoredDelivery }> {
    const now = new Date();
    const operation = newOperation(subscription, request, "Azure", now, {
      dueAt: now.toISOString(),
      injectedFailure: false,
      deliver,
    });
    this.store.addOperation(operation);

    const awaitsAcknowledgement = this.variants.awaitsAcknowledgement(operation.action);
    if (awaitsAcknowledgement && deliver === "normal") {
      return { operation, delivery: await this.raiseAndAwaitAck(operation) };
    }
    if (awaitsAcknowledgement) {
      // A lost webhook: nobody can acknowledge what they never heard of, so it is auto-accepted at once.
      const payload = webhookPayload(operation, subscription);
      this.settle(operation, SUCCEEDED, "autoAccept", now);
      const delivery = this.webhooks.create(operation, payload, { dropped: true });
      await this.store.persist();
      return { operation, delivery };
    }
    // Notify-only: Microsoft has already changed the subscription when the webhook goes out.
    this.settle(operation, SUCCEEDED, "immediate", now);
    const delivery = await this.notify(operation, deliver);
    return { operation, ...(delivery ? { delivery } : {}) };
  }

  /**
   * An auto-activated purchase (§4.7): the subscription is already `Subscribed`; Microsoft records
   * a `Subscribe` operation (`Azure`, `Succeeded` at once: nothing to acknowledge) and tells the
   * publisher with a webhook carrying the subscription. Persists, then starts the delivery.
   */
  async recordSubscribe(
    subscription: StoredSubscription,
  ): Promise<{ operation: StoredOperation; delivery: StoredDelivery }> {
    const now = new Date();
    const operation = newOperation(
      subscription,
      { action: "Subscribe", planId: subscription.planId, quantity: subscription.quantity },
      "Azure",
      now,
      { dueAt: now.toISOString(), injectedFailure: false },
    );
    this.store.addOperation(operation);
    this.settle(operation, SUCCEEDED, "immediate", now);
    const delivery = this.webhooks.create(operation, webhookPayload(operation, subscription, "Succeeded"));
    await this.store.persist();
    this.webhooks.start(delivery);
    return { operation, delivery };
  }

  /** After a restart: every InProgress operation picks up its timer; pending webhooks continue. */
  resumePending(): void {
    for (const operation of this.store.inProgressOperations()) {
      if (operation.phase === "awaitingAck") this.scheduleAutoAccept(operation);
      else this.scheduleProcessing(operation);
    }
    this.webhooks.resume();
  }

  /** The ISV's PATCH acknowledgement (§7.3). Returns false when the operation is no longer InProgress. */
  async acknowledge(operation: StoredOperation, status: "Success" | "Failure"): Promise<boolean> {
    if (operation.status !== "InProgress") return false;
    const settlement: Settlement =
      status === "Success"
        ? SUCCEEDED
        : {
            status: "Failed",
            errorStatusCode: "400",
            errorMessage: "The publisher rejected the operation (PATCH status Failure).",
          };
    const beforeWebhook = operation.phase !== "awaitingAck";
    this.settle(operation, settlement, "acknowledgement", new Date());
    // An Unsubscribe acknowledged while still processing is applied now, and still notified.
    // A plan/quantity change acknowledged before its webhook needs no webhook any more.
    if (beforeWebhook && operation.action === "Unsubscribe" && settlement.status === "Succeeded") {
      await this.notify(operation, "normal");
    } else {
      await this.store.persist();
    }
    return true;
  }

  /**
   * Variant delayed-apply: succeeded changes whose `applyDueAt` has passed reach their
   * subscription now, in the order they were due. Returns true when any did (the caller persists).
   */
  applyDueChanges(now: Date): boolean {
    const due = this.store
      .operationsAwaitingApplication()
      .flatMap((operation) => (operation.applyDueAt ? [{ operation, at: new Date(operation.applyDueAt) }] : []))
      .filter(({ at }) => at.getTime() <= now.getTime())
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const { operation, at } of due) {
      delete operation.applyDueAt;
      const subscription = this.store.getSubscription(operation.subscriptionId);
      if (subscription) applyOperation(subscription, operation, this.catalog, at);
    }
    return due.length > 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.webhooks.close();
  }

  // Steps ---------------------------------------------------------------------------------------

  /** A publisher-initiated operation once Microsoft has "processed" it. */
  private async process(operation: StoredOperation): Promise<void> {
    if (operation.status !== "InProgress" || operation.phase === "awaitingAck") return;
    if (operation.injectedFailure) {
      const status = this.variants.injectedFailureStatus();
      this.settle(
        operation,
        status === "Conflict"
          ? {
              status,
              errorStatusCode: "409",
              errorMessage:
                "Another change to this subscription conflicted with this operation (sandbox failNextOperations).",
            }
          : { status, errorStatusCode: "500", errorMessage: "Failure injected by the sandbox (failNextOperations)." },
        "timer",
        new Date(),
      );
      await this.store.persist();
      return;
    }
    if (ACKNOWLEDGED_ACTIONS.has(operation.action)) {
      await this.raiseAndAwaitAck(operation);
      return;
    }
    this.settle(operation, SUCCEEDED, "timer", new Date());
    await this.notify(operation, "normal");
  }

  /** Sends the InProgress webhook (snapshot before the change) and opens the ACK window. */
  private async raiseAndAwaitAck(operation: StoredOperation): Promise<StoredDelivery | undefined> {
    const subscription = this.snapshotOf(operation);
    const now = Date.now();
    operation.phase = "awaitingAck";
    operation.ackWindowMs = this.settings.ackTimeoutMs;
    operation.ackDueAt = new Date(now + this.settings.ackTimeoutMs).toISOString();
    const delivery = subscription
      ? this.webhooks.create(operation, webhookPayload(operation, subscription))
      : undefined;
    await this.store.persist();
    this.scheduleAutoAccept(operation);
    if (delivery) this.webhooks.start(delivery);
    return delivery;
  }

  /** Sends the webhook of a settled operation (snapshot after the change); `drop` records it unsent. */
  private async notify(operation: StoredOperation, deliver: Delivery): Promise<StoredDelivery | undefined> {
    const subscription = this.snapshotOf(operation);
    const delivery = subscription
      ? this.webhooks.create(operation, webhookPayload(operation, subscription, "Succeeded"), {
          dropped: deliver === "drop",
        })
      : undefined;
    await this.store.persist();
    if (delivery && deliver === "normal") this.webhooks.start(delivery);
    return delivery;
  }

  /** The subscription as a webhook raised now shows it (delayed changes that are due included). */
  private snapshotOf(operation: StoredOperation): StoredSubscription | undefined {
    this.applyDueChanges(new Date());
    return this.store.getSubscription(operation.subscriptionId);
  }

  private async autoAccept(operation: StoredOperation): Promise<void> {
    if (operation.status !== "InProgress") return;
    this.settle(operation, SUCCEEDED, "autoAccept", new Date());
    await this.store.persist();
  }

  /** §7.4: a 4xx answer to a ChangePlan/ChangeQuantity webhook refuses the change. */
  private onWebhookAnswer(delivery: StoredDelivery, status: number): "rejected" | undefined {
    if (status < 400 || status >= 500 || NOT_A_REFUSAL.has(status)) return undefined;
    if (delivery.action !== "ChangePlan" && delivery.action !== "ChangeQuantity") return undefined;
    const operation = this.store.getOperation(delivery.subscriptionId, delivery.operationId);
    if (operation?.status === "InProgress" && operation.phase === "awaitingAck") {
      this.settle(
        operation,
        {
          status: "Failed",
          errorStatusCode: String(status),
          errorMessage: `The publisher refused the change: the webhook was answered with HTTP ${status}.`,
        },
        "webhookRejection",
        new Date(),
      );
    }
    return "rejected";
  }

  // Timers --------------------------------------------------------------------------------------

  private scheduleProcessing(operation: StoredOperation): void {
    this.schedule(operation, operation.dueAt, () => this.process(operation));
  }

  private scheduleAutoAccept(operation: StoredOperation): void {
    this.schedule(operation, operation.ackDueAt ?? new Date().toISOString(), () => this.autoAccept(operation));
  }

  private schedule(operation: StoredOperation, atIso: string, step: () => Promise<void>): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(operation.id));
    const delay = Math.max(0, Date.parse(atIso) - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(operation.id);
      if (this.closed) return;
      step().catch((error: unknown) =>
        console.error(`[marketplace] operation ${operation.id} could not continue`, error),
      );
    }, delay);
    this.timers.set(operation.id, timer);
  }

  /** Ends an InProgress operation exactly once and applies it when it succeeded (the caller persists). */
  private settle(operation: StoredOperation, settlement: Settlement, by: SettledBy, now: Date): void {
    if (operation.status !== "InProgress") return;
    clearTimeout(this.timers.get(operation.id));
    this.timers.delete(operation.id);
    operation.status = settlement.status;
    operation.errorStatusCode = settlement.errorStatusCode ?? "";
    operation.errorMessage = settlement.errorMessage ?? "";
    operation.completedAt = now.toISOString();
    operation.settledBy = by;
    delete operation.phase;
    if (settlement.status !== "Succeeded") return;
    const applyDelayMs = this.variants.applyDelayMs(operation.action);
    if (applyDelayMs > 0) {
      operation.applyDueAt = new Date(now.getTime() + applyDelayMs).toISOString();
      return;
    }
    const subscription = this.store.getSubscription(operation.subscriptionId);
    if (subscription) applyOperation(subscription, operation, this.catalog, now);
  }
}

function newOperation(
  subscription: StoredSubscription,
  request: OperationRequest,
  source: "Partner" | "Azure",
  now: Date,
  extra: Pick<StoredOperation, "dueAt" | "injectedFailure"> & Partial<Pick<StoredOperation, "phase" | "deliver">>,
): StoredOperation {
  return {
    id: randomUUID(),
    activityId: randomUUID(),
    subscriptionId: subscription.id,
    offerId: subscription.offerId,
    publisherId: subscription.publisherId,
    planId: request.planId,
    ...(request.quantity !== undefined ? { quantity: request.quantity } : {}),
    action: request.action,
    timeStamp: now.toISOString(),
    status: "InProgress",
    source,
    errorStatusCode: "",
    errorMessage: "",
    ...extra,
  };
}

/** What a succeeded operation does to the subscription. */
function applyOperation(
  subscription: StoredSubscription,
  operation: StoredOperation,
  catalog: Catalog,
  now: Date,
): void {
  switch (operation.action) {
    case "ChangePlan": {
      const plan = findPlan(catalog, subscription.offerId, operation.planId);
      if (!plan) return;
      subscription.planId = plan.planId;
      if (plan.isPricePerSeat) subscription.quantity = operation.quantity;
      else delete subscription.quantity;
      if (plan.termUnit !== subscription.termUnit) {
        // A plan with another term length starts a new term on the day of the change (sandbox choice).
        subscription.termUnit = plan.termUnit;
        if (subscription.termStartDate) setTermDates(subscription, termDates(now, plan.termUnit));
      }
      // The payment cadence is the new plan's (§5.3).
      if (plan.chargeDuration === undefined) delete subscription.chargeDuration;
      else subscription.chargeDuration = plan.chargeDuration;
      break;
    }
    case "ChangeQuantity":
      subscription.quantity = operation.quantity;
      break;
    case "Unsubscribe":
      subscription.status = "Unsubscribed";
      subscription.unsubscribedAt = now.toISOString();
      delete subscription.activationDueAt;
      break;
    case "Suspend":
      subscription.status = "Suspended";
      break;
    case "Reinstate":
      subscription.status = "Subscribed";
      break;
    case "Renew": {
      if (!subscription.termEndDate) return;
      const dates = nextTerm(
        { startDate: subscription.termStartDate, endDate: subscription.termEndDate },
        subscription.termUnit,
      );
      // Checked when the action was requested (marketplace-actions.ts); a term that changed since keeps its dates.
      if (!dates) return;
      setTermDates(subscription, dates);
      break;
    }
    default:
      return;
  }
  subscription.lastModified = now.toISOString();
}
