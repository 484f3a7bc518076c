import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { customerPermission } from "./change-rules";
import type { ReviewedTerms } from "./change-consequences";
import { wordsFor } from "./words-for";
import { findOwnSubscription } from "./find-own-subscription";
import { expireStaleChanges } from "../operations/expire-stale-changes";
import { pendingChangeWhere } from "../operations/pending-change";
import { recordSubscriptionChange, resolveChangeTarget } from "./record-subscription-change";
import { permissionWords } from "./subscription-words";

/** A customer's change: a plan or seat change carries the consequences the customer reviewed and confirmed. */
export type CustomerChange =
  | { kind: "plan"; planId: string; reviewed: ReviewedTerms }
  | { kind: "quantity"; quantity: unknown; reviewed: ReviewedTerms }
  | { kind: "cancel" };

/**
 * A customer's plan change, seat change or cancellation. Checked on the server (the caller must be
 * a party, a tenant admin or an invited colleague (decisions/0003) — otherwise "not found"; Microsoft must allow the operation; one
 * change at a time; the plan must be one Microsoft offers this subscription; seats within the
 * plan's limits; and the consequences, worked out again from Microsoft's plans read afresh, must
 * be the ones the customer reviewed (decisions/0010): otherwise `change_terms_changed` and nothing
 * is recorded), recorded with an audit row naming every field it moves, and handed to a job: the
 * request returns at once, whatever Microsoft's latency, and the page follows the operation.
 */
export async function requestSubscriptionChange(options: {
  subscriptionId: string;
  actor: Actor;
  change: CustomerChange;
}) {
  const { actor, change } = options;
  const subscription = await findOwnSubscription({ subscriptionId: options.subscriptionId, actor });
  if (!subscription) throw new AppError("not_owner");

  const permission = customerPermission(subscription, change.kind);
  if (!permission.allowed)
    throw new AppError("change_not_allowed", { message: permissionWords(wordsFor("en").t, permission.reason) });
  // No silent consequences: a plan or seat change is only sent as reviewed (a forged post without it is refused).
  if (change.kind !== "cancel" && !change.reviewed)
    throw new AppError("invalid_input", { message: "Review the change before confirming it." });
  await expireStaleChanges({ subscriptionId: subscription.id });
  if (await db().operation.findFirst({ where: pendingChangeWhere(subscription.id) }))
    throw new AppError("change_pending");

  const target = await resolveChangeTarget(subscription, change, { freshPlans: true });
  return recordSubscriptionChange({
    subscription,
    target,
    source: "Customer",
    actor,
    auditAction: "change_requested",
    reviewed: change.kind !== "cancel",
  });
}
