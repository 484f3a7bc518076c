import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor";
import { db, isSerializationFailure } from "../db";
import { AppError, fromMarketplaceError, isAppError } from "../errors";
import type { Subscription } from "../generated/prisma/client";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import { policyEnv } from "../env";
import { pendingChangeWhere } from "../operations/pending-change";
import { submitSubscriptionChangeJob } from "../operations/submit-subscription-change";
import { decideByRules } from "./publisher-policy";
import { availablePlans } from "./available-plans";
import { validateSeatCount } from "./change-rules";
import { recordAudit, type AuditAction } from "../audit/record-audit";

export type SubscriptionChange =
  { kind: "plan"; planId: string } | { kind: "quantity"; quantity: unknown } | { kind: "cancel" };

interface ChangeTarget {
  action: "ChangePlan" | "ChangeQuantity" | "Unsubscribe";
  requestedPlanId: string | null;
  requestedQuantity: number | null;
}

/**
 * What Microsoft will be asked: the plan must be one it offers this subscription; seats within the
 * plan's limits; and the publisher's own policy (allowed plan moves, seat limits) must allow it —
 * the same rules the webhook applies when Microsoft asks us to accept the change, checked here so
 * the customer hears "no" at once instead of a failed change later.
 */
export async function resolveChangeTarget(
  subscription: Subscription,
  change: SubscriptionChange,
): Promise<ChangeTarget> {
  if (change.kind === "cancel") return { action: "Unsubscribe", requestedPlanId: null, requestedQuantity: null };
  const target = await resolvePlanOrSeats(subscription, change);
  const decision = decideByRules(policyEnv().PUBLISHER_POLICY, {
    subscriptionId: subscription.id,
    action: target.action === "ChangePlan" ? "ChangePlan" : "ChangeQuantity",
    currentPlanId: subscription.planId,
    currentQuantity: subscription.quantity,
    planId: target.requestedPlanId ?? subscription.planId,
    quantity: target.requestedQuantity,
  });
  if (!decision.accept) {
    throw new AppError("invalid_input", {
      message: decision.reason,
      fieldErrors: target.action === "ChangePlan" ? { planId: [decision.reason] } : { quantity: [decision.reason] },
    });
  }
  return target;
}

async function resolvePlanOrSeats(
  subscription: Subscription,
  change: Exclude<SubscriptionChange, { kind: "cancel" }>,
): Promise<ChangeTarget> {
  const plans = await availablePlans(subscription.id).catch((error: unknown) => {
    throw fromMarketplaceError(error, "read");
  });
  if (change.kind === "plan") {
    const target = plans.find((plan) => plan.planId === change.planId);
    if (!target)
      throw new AppError("invalid_input", {
        message: "That plan is not available for this subscription.",
        fieldErrors: { planId: ["Choose one of the plans listed."] },
      });
    if (target.planId === subscription.planId)
      throw new AppError("invalid_input", {
        message: "This is already the subscription's plan.",
        fieldErrors: { planId: ["This is already the current plan."] },
      });
    return { action: "ChangePlan", requestedPlanId: target.planId, requestedQuantity: null };
  }
  const current = plans.find((plan) => plan.planId === subscription.planId);
  const seats = validateSeatCount(
    change.quantity,
    {
      isPricePerSeat: current?.isPricePerSeat ?? false,
      minQuantity: current?.minQuantity,
      maxQuantity: current?.maxQuantity,
    },
    subscription.quantity,
  );
  if (!seats.ok)
    throw new AppError("invalid_input", { message: seats.message, fieldErrors: { quantity: [seats.message] } });
  return { action: "ChangeQuantity", requestedPlanId: null, requestedQuantity: seats.quantity };
}

/**
 * Records a change (operation `Requested` + audit row + the job that sends it to Microsoft) in one
 * serializable transaction: when two requests race (a double submit, two tabs, an admin and the
 * customer), exactly one is recorded and the other gets `change_pending`. Returns at once.
 */
export async function recordSubscriptionChange(options: {
  subscription: Subscription;
  target: ChangeTarget;
  source: "Customer" | "Publisher";
  actor: Actor;
  auditAction: Extract<AuditAction, "change_requested" | "publisher_change_requested">;
}) {
  const { subscription, target, actor } = options;
  const operationId = randomUUID();
  try {
    await db().$transaction(
      async (tx) => {
        await tx.operation.create({
          data: {
            id: operationId,
            subscriptionId: subscription.id,
            ...target,
            status: "Requested",
            source: options.source,
            actorTid: actor.tid,
            actorOid: actor.oid,
          },
        });
        if ((await tx.operation.count({ where: pendingChangeWhere(subscription.id) })) > 1)
          throw new AppError("change_pending");
        await recordAudit(tx, {
          subscriptionId: subscription.id,
          actor: { actorType: "user", actorTid: actor.tid, actorOid: actor.oid },
          action: options.auditAction,
          detail: {
            operationId,
            action: target.action,
            planId: target.requestedPlanId,
            quantity: target.requestedQuantity,
          },
        });
        await enqueue(tx, submitSubscriptionChangeJob, { operationId });
      },
      { isolationLevel: "Serializable" },
    );
  } catch (error) {
    if (isAppError(error)) throw error;
    if (isSerializationFailure(error)) throw new AppError("change_pending"); // another request won the race
    throw error;
  }
  wakeWorkers();
  return { operationId, action: target.action };
}
