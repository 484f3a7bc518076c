import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError, fromMarketplaceError } from "../errors";
import { enqueueJob } from "../jobs/enqueue-job";
import { wakeWorkers } from "../jobs/wake";
import { SUBMIT_CHANGE_JOB } from "../operations/submit-subscription-change";
import { availablePlans } from "./available-plans";
import { customerPermission, validateSeatCount } from "./change-rules";
import { isPartyToSubscription } from "./ownership";

export type CustomerChange = { kind: "plan"; planId: string } | { kind: "quantity"; quantity: unknown } | { kind: "cancel" };

export const PENDING_STATUSES = ["Requested", "NotStarted", "InProgress"];

/**
 * A customer's plan change, seat change or cancellation. Checked on the server (the caller must be
 * a party to the subscription — otherwise "not found"; Microsoft must allow the operation; one
 * change at a time; the plan must be one Microsoft offers this subscription; seats within the
 * plan's limits), recorded with an audit row, and handed to a job: the request returns at once,
 * whatever Microsoft's latency, and the page follows the operation.
 */
export async function requestSubscriptionChange(options: { subscriptionId: string; actor: Actor; change: CustomerChange }) {
  const { actor, change } = options;
  const subscription = await db().subscription.findUnique({ where: { id: options.subscriptionId } });
  if (!subscription || !isPartyToSubscription(actor, subscription)) throw new AppError("not_owner");

  const permission = customerPermission(subscription, change.kind);
  if (!permission.allowed) throw new AppError("change_not_allowed", { message: permission.reason });

  const pending = await db().operation.findFirst({ where: { subscriptionId: subscription.id, status: { in: PENDING_STATUSES }, action: { not: "Activate" } } });
  if (pending) throw new AppError("change_pending");

  let action: "ChangePlan" | "ChangeQuantity" | "Unsubscribe";
  let requestedPlanId: string | null = null;
  let requestedQuantity: number | null = null;
  if (change.kind === "cancel") {
    action = "Unsubscribe";
  } else {
    const plans = await availablePlans(subscription.id).catch((error: unknown) => { throw fromMarketplaceError(error, "read"); });
    if (change.kind === "plan") {
      const target = plans.find((plan) => plan.planId === change.planId);
      if (!target) throw new AppError("invalid_input", { message: "That plan is not available for this subscription.", fieldErrors: { planId: ["Choose one of the plans listed."] } });
      if (target.planId === subscription.planId) throw new AppError("invalid_input", { message: "This is already your plan.", fieldErrors: { planId: ["This is already your plan."] } });
      action = "ChangePlan";
      requestedPlanId = target.planId;
    } else {
      const current = plans.find((plan) => plan.planId === subscription.planId);
      const seats = validateSeatCount(change.quantity, { isPricePerSeat: current?.isPricePerSeat ?? false, minQuantity: current?.minQuantity, maxQuantity: current?.maxQuantity }, subscription.quantity);
      if (!seats.ok) throw new AppError("invalid_input", { message: seats.message, fieldErrors: { quantity: [seats.message] } });
      action = "ChangeQuantity";
      requestedQuantity = seats.quantity;
    }
  }

  const operationId = randomUUID();
  try {
    await db().$transaction(async (tx) => {
      await tx.operation.create({
        data: { id: operationId, subscriptionId: subscription.id, action, status: "Requested", source: "Customer", requestedPlanId, requestedQuantity, actorTid: actor.tid, actorOid: actor.oid },
      });
      // Serializes concurrent requests (double submit, two tabs): only one pending change can be recorded.
      const open = await tx.operation.count({ where: { subscriptionId: subscription.id, status: { in: PENDING_STATUSES }, action: { not: "Activate" } } });
      if (open > 1) throw new AppError("change_pending");
      await tx.auditEvent.create({
        data: { subscriptionId: subscription.id, actorType: "user", actorTid: actor.tid, actorOid: actor.oid, action: "change_requested", detail: { operationId, action, planId: requestedPlanId, quantity: requestedQuantity } },
      });
      await enqueueJob(tx, { type: SUBMIT_CHANGE_JOB, payload: { operationId }, singletonKey: `submit:${operationId}`, maxAttempts: 6 });
    }, { isolationLevel: "Serializable" });
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (isSerializationFailure(error)) throw new AppError("change_pending"); // another request won the race
    throw error;
  }
  wakeWorkers();
  return { operationId, action };
}

/** PostgreSQL 40001, as the driver adapter or Prisma reports it. */
function isSerializationFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: { originalCode?: string; kind?: string } }).cause;
  return error.message.includes("TransactionWriteConflict") || cause?.originalCode === "40001" || cause?.kind === "TransactionWriteConflict" || (error as { code?: string }).code === "P2034";
}
