import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError, fromMarketplaceError } from "../errors";
import { enqueueJob } from "../jobs/enqueue-job";
import { wakeWorkers } from "../jobs/wake";
import { SUBMIT_CHANGE_JOB } from "../operations/submit-subscription-change";
import { availablePlans } from "../subscriptions/available-plans";
import { validateSeatCount } from "../subscriptions/change-rules";
import { PENDING_STATUSES } from "../subscriptions/request-subscription-change";
import { publisherAudit } from "./publisher-actor";

export type PublisherChange = { kind: "plan"; planId: string } | { kind: "quantity"; quantity: unknown } | { kind: "cancel" };

/**
 * A plan change, seat change or cancellation started by the publisher. The same flow as the
 * customer's (recorded with an audit row, sent by the submit-subscription-change job, followed
 * until Microsoft finishes), marked `source: Publisher`. Unlike customers, the publisher is not
 * bound by allowedCustomerOperations (a CSP's subscription may still be changed by the ISV), but
 * Microsoft's state rules and plan limits apply.
 */
export async function requestPublisherChange(options: { subscriptionId: string; actor: Actor; change: PublisherChange }) {
  const { actor, change } = options;
  const subscription = await db().subscription.findUnique({ where: { id: options.subscriptionId } });
  if (!subscription) throw new AppError("subscription_unknown");
  const allowed = change.kind === "cancel" ? ["Subscribed", "Suspended"] : ["Subscribed"];
  if (!allowed.includes(subscription.status)) {
    throw new AppError("change_not_allowed", { message: `${change.kind === "cancel" ? "Cancelling" : "Changing"} is not possible while the subscription is ${subscription.status}. Nothing was changed.` });
  }

  let action: "ChangePlan" | "ChangeQuantity" | "Unsubscribe" = "Unsubscribe";
  let requestedPlanId: string | null = null;
  let requestedQuantity: number | null = null;
  if (change.kind !== "cancel") {
    const plans = await availablePlans(subscription.id).catch((error: unknown) => { throw fromMarketplaceError(error, "read"); });
    if (change.kind === "plan") {
      const target = plans.find((plan) => plan.planId === change.planId);
      if (!target) throw new AppError("invalid_input", { message: "That plan is not available for this subscription.", fieldErrors: { planId: ["Choose one of the plans listed."] } });
      if (target.planId === subscription.planId) throw new AppError("invalid_input", { message: "The subscription already has this plan.", fieldErrors: { planId: ["Already the current plan."] } });
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
  const open = { subscriptionId: subscription.id, status: { in: PENDING_STATUSES }, action: { not: "Activate" } };
  try {
    await db().$transaction(async (tx) => {
      if (await tx.operation.count({ where: open })) throw new AppError("change_pending", { message: "Another change is still in progress at Microsoft. Wait for it to finish. Nothing was changed." });
      await tx.operation.create({ data: { id: operationId, subscriptionId: subscription.id, action, status: "Requested", source: "Publisher", requestedPlanId, requestedQuantity, actorTid: actor.tid, actorOid: actor.oid } });
      await tx.auditEvent.create({ data: { subscriptionId: subscription.id, ...publisherAudit(actor), action: "publisher_change_requested", detail: { operationId, action, planId: requestedPlanId, quantity: requestedQuantity } } });
      await enqueueJob(tx, { type: SUBMIT_CHANGE_JOB, payload: { operationId }, singletonKey: `submit:${operationId}`, maxAttempts: 6 });
    }, { isolationLevel: "Serializable" }); // two admins (or an admin and the customer) at once: one change wins
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("change_pending", { message: "Another change was recorded at the same moment. Nothing was changed.", cause: error });
  }
  wakeWorkers();
  return { operationId, action };
}
