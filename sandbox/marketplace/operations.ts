/**
 * Lifecycle of asynchronous operations (ChangePlan, ChangeQuantity, Unsubscribe).
 *
 * An operation starts `InProgress` and ends exactly once, in `settle()`, either because
 *  - the ISV acknowledged it (PATCH operation `Success`/`Failure`, docs §7.3), or
 *  - the completion policy decided how it ends.
 *
 * The completion policy is the seam for the webhook issue: today it waits `operationDelayMs`
 * and succeeds (or fails when a failure was injected). The webhook version will POST the
 * payload to the portal and wait up to 10 s for the acknowledgement; silence counts as
 * Success (docs §4.3, §7.4). An acknowledgement aborts the policy through its AbortSignal.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Catalog } from "../types";
import { findPlan } from "./catalog";
import type { EmulatorSettings, OperationAction, StoredOperation, StoredSubscription } from "./model";
import type { MarketplaceStore } from "./store";
import { termDates } from "./term";

export interface Settlement {
  status: "Succeeded" | "Failed";
  errorStatusCode?: string;
  errorMessage?: string;
}

/** Decides how an operation ends if nobody acknowledges it first. Must honour `signal`. */
export type CompletionPolicy = (operation: StoredOperation, signal: AbortSignal) => Promise<Settlement>;

/** Default policy: complete at `dueAt`; injected failures end `Failed`. */
export const completeWhenDue: CompletionPolicy = async (operation, signal) => {
  await sleep(Math.max(0, Date.parse(operation.dueAt) - Date.now()), undefined, { signal });
  if (operation.injectedFailure) {
    return { status: "Failed", errorStatusCode: "500", errorMessage: "Failure injected by the sandbox (failNextOperations)." };
  }
  return { status: "Succeeded" };
};

export interface OperationRequest {
  action: Extract<OperationAction, "ChangePlan" | "ChangeQuantity" | "Unsubscribe">;
  planId: string;
  quantity?: number | undefined;
}

export class OperationEngine {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly store: MarketplaceStore,
    private readonly catalog: Catalog,
    private readonly settings: EmulatorSettings,
    private readonly policy: CompletionPolicy = completeWhenDue,
  ) {}

  /** Records a new InProgress operation, persists it and starts its completion. */
  async start(subscription: StoredSubscription, request: OperationRequest): Promise<StoredOperation> {
    const now = new Date();
    const injectedFailure = this.settings.failNextOperations > 0;
    if (injectedFailure) this.settings.failNextOperations -= 1;
    const operation: StoredOperation = {
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
      source: "Partner",
      dueAt: new Date(now.getTime() + this.settings.operationDelayMs).toISOString(),
      injectedFailure,
      errorStatusCode: "",
      errorMessage: "",
    };
    this.store.addOperation(operation);
    await this.store.persist();
    this.run(operation);
    return operation;
  }

  /** After a restart: pending operations pick up their completion where they left off. */
  resumePending(): void {
    for (const operation of this.store.inProgressOperations()) this.run(operation);
  }

  /** The ISV's PATCH acknowledgement. Returns false when the operation is no longer InProgress. */
  async acknowledge(operation: StoredOperation, status: "Success" | "Failure"): Promise<boolean> {
    if (operation.status !== "InProgress") return false;
    this.running.get(operation.id)?.abort();
    const settlement: Settlement = status === "Success"
      ? { status: "Succeeded" }
      : { status: "Failed", errorStatusCode: "400", errorMessage: "The publisher rejected the operation (PATCH status Failure)." };
    await this.settle(operation, settlement, "acknowledgement");
    return true;
  }

  async close(): Promise<void> {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
  }

  private run(operation: StoredOperation): void {
    const controller = new AbortController();
    this.running.set(operation.id, controller);
    this.policy(operation, controller.signal).then(
      (settlement) => (controller.signal.aborted ? undefined : this.settle(operation, settlement, "timer")),
      (error: unknown) => {
        if (!controller.signal.aborted) console.error(`[marketplace] operation ${operation.id} policy failed`, error);
      },
    ).catch((error: unknown) => console.error(`[marketplace] operation ${operation.id} could not complete`, error))
      .finally(() => {
        if (this.running.get(operation.id) === controller) this.running.delete(operation.id);
      });
  }

  private async settle(operation: StoredOperation, settlement: Settlement, by: "timer" | "acknowledgement"): Promise<void> {
    if (operation.status !== "InProgress") return;
    const now = new Date();
    operation.status = settlement.status;
    operation.errorStatusCode = settlement.errorStatusCode ?? "";
    operation.errorMessage = settlement.errorMessage ?? "";
    operation.completedAt = now.toISOString();
    operation.settledBy = by;
    const subscription = this.store.getSubscription(operation.subscriptionId);
    if (subscription && settlement.status === "Succeeded") applyOperation(subscription, operation, this.catalog, now);
    await this.store.persist();
  }
}

/** What a succeeded operation does to the subscription. */
function applyOperation(subscription: StoredSubscription, operation: StoredOperation, catalog: Catalog, now: Date): void {
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
        if (subscription.termStartDate) {
          const dates = termDates(now, plan.termUnit);
          subscription.termStartDate = dates.startDate;
          subscription.termEndDate = dates.endDate;
        }
      }
      break;
    }
    case "ChangeQuantity":
      subscription.quantity = operation.quantity;
      break;
    case "Unsubscribe":
      subscription.status = "Unsubscribed";
      break;
    default:
      return;
  }
  subscription.lastModified = now.toISOString();
}
