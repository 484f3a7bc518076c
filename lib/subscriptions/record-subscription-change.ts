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
import { logger } from "../logger";
import { decideByRules } from "./publisher-policy";
import { availablePlans } from "./available-plans";
import {
  changeConsequences,
  sameTerms,
  type ChangeConsequences,
  type ChangeRefusal,
  type PlanFacts,
  type ReviewedTerms,
} from "./change-consequences";
import { wordsFor } from "./words-for";
import { refusalWords } from "./subscription-words";
import { recordAudit, type AuditAction } from "../audit/record-audit";
import { namedPlans } from "../catalog";

/**
 * A plan or seat change carries `reviewed`: the consequences the person confirmed
 * (change-consequences.ts). Customers always send it (request-subscription-change.ts); the
 * publisher's console does not review yet, and its audit row says so.
 */
export type SubscriptionChange =
  | { kind: "plan"; planId: string; reviewed?: ReviewedTerms }
  | { kind: "quantity"; quantity: unknown; reviewed?: ReviewedTerms }
  | { kind: "cancel" };

export interface ChangeTarget {
  action: "ChangePlan" | "ChangeQuantity" | "Unsubscribe";
  requestedPlanId: string | null;
  requestedQuantity: number | null;
  /** What the plan or seat change does (null for a cancellation). */
  consequences: ChangeConsequences | null;
}

/**
 * What Microsoft will be asked, and what it will do: the plan must be one Microsoft offers this
 * subscription; seats within the plan's limits; a plan change's seats are the new plan's minimum
 * or maximum applied (change-consequences.ts). With `reviewed`, those consequences must be the
 * ones the person confirmed: when Microsoft's plans (or the subscription) changed in between, the
 * change is refused with `change_terms_changed` instead of doing something else — with
 * `freshPlans`, the plans are read from Microsoft again for that comparison. Before that comparison,
 * the publisher's own policy (allowed plan moves, seat limits, on the resulting seats): the same
 * rules the webhook applies when Microsoft asks us to accept the change, checked here so the
 * customer hears "no" at once instead of a failed change later (and not "review again" for a
 * change that would be refused anyway).
 */
export async function resolveChangeTarget(
  subscription: Subscription,
  change: SubscriptionChange,
  options: { freshPlans?: boolean } = {},
): Promise<ChangeTarget> {
  if (change.kind === "cancel")
    return { action: "Unsubscribe", requestedPlanId: null, requestedQuantity: null, consequences: null };
  const plans = await availablePlans(subscription, { fresh: options.freshPlans }).catch((error: unknown) => {
    throw fromMarketplaceError(error, "read");
  });
  const consequences = consequencesOrRefusal(subscription, namedPlans(subscription.offerId, plans), change);
  const refusal = policyRefusal(subscription, consequences);
  if (refusal) throw refusalError(change.kind === "plan" ? "planId" : "quantity", refusal);
  if (change.reviewed && !sameTerms(change.reviewed, consequences.reviewed)) {
    logger.info("change refused: its consequences differ from those reviewed", {
      subscriptionId: subscription.id,
      reviewed: change.reviewed,
      now: consequences.reviewed,
    });
    throw new AppError("change_terms_changed");
  }
  return change.kind === "plan"
    ? { action: "ChangePlan", requestedPlanId: consequences.after.planId, requestedQuantity: null, consequences }
    : { action: "ChangeQuantity", requestedPlanId: null, requestedQuantity: consequences.after.seats, consequences };
}

/** The consequences of a plan or seat change, or the reason it is not possible (thrown as invalid_input). */
export function consequencesOrRefusal(
  subscription: Subscription,
  plans: readonly PlanFacts[],
  change: Exclude<SubscriptionChange, { kind: "cancel" }>,
): ChangeConsequences {
  const result = changeConsequences({
    subscription,
    plans,
    change: change.kind === "plan" ? { kind: "plan", planId: change.planId } : change,
  });
  if (!result.ok) throw refusalError(result.field, result.refusal);
  return result.consequences;
}

/**
 * A refusal as the error a form or the console shows, worded in English (the customer's review page
 * words the same refusal in their language: review-subscription-change.ts).
 */
function refusalError(field: "planId" | "quantity", refusal: ChangeRefusal): AppError {
  const { t } = wordsFor("en");
  return new AppError("invalid_input", {
    message: refusalWords(t, refusal),
    fieldErrors: { [field]: [refusalWords(t, refusal, { field: true })] },
  });
}

/**
 * The publisher's policy on the change's result (a plan change is judged with the seats it ends
 * with), or null; plans named as the customer knows them.
 */
export function policyRefusal(subscription: Subscription, consequences: ChangeConsequences): ChangeRefusal | null {
  const decision = decideByRules(policyEnv().PUBLISHER_POLICY, {
    subscriptionId: subscription.id,
    action: consequences.kind === "plan" ? "ChangePlan" : "ChangeQuantity",
    currentPlanId: subscription.planId,
    currentQuantity: subscription.quantity,
    planId: consequences.after.planId,
    quantity: consequences.after.seats,
  });
  if (decision.accept) return null;
  const { before, after } = consequences;
  switch (decision.refused.rule) {
    case "plan-move":
      return { code: "policy-plan-move", from: before.planName, to: after.planName };
    case "seats-minimum":
      return { code: "policy-seats-minimum", plan: after.planName, limit: decision.refused.limit };
    case "seats-maximum":
      return { code: "policy-seats-maximum", plan: after.planName, limit: decision.refused.limit };
  }
}

/** Every field the change moves, for its audit row: plan, seats, term (and whether the person reviewed it). */
function changedFields(subscription: Subscription, target: ChangeTarget, reviewed: boolean) {
  const c = target.consequences;
  if (!c) return {};
  const units = c.reviewed.termUnits;
  return {
    ...(c.before.planId !== c.after.planId ? { plan: { from: c.before.planId, to: c.after.planId } } : {}),
    ...(c.before.seats !== c.after.seats ? { seats: { from: c.before.seats, to: c.after.seats } } : {}),
    ...(c.term.change !== "no"
      ? { term: { from: subscription.termUnit, to: units.length === 1 ? units[0] : null, offered: units } }
      : {}),
    reviewed,
  };
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
  /** True when the person confirmed the change's consequences (the customer's review page). */
  reviewed?: boolean;
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
            action: target.action,
            requestedPlanId: target.requestedPlanId,
            requestedQuantity: target.requestedQuantity,
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
            ...changedFields(subscription, target, options.reviewed ?? false),
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
