import "server-only";
import type { Actor } from "../auth/actor";
import { describeOffer, describePlan, namedPlans } from "../catalog";
import { db } from "../db";
import { logger } from "../logger";
import type { Plan } from "../marketplace";
import { availablePlans } from "./available-plans";
import { customerPermission } from "./change-rules";
import { findAccessibleSubscription } from "./find-own-subscription";
import { expireStaleChanges } from "../operations/expire-stale-changes";
import { PENDING_STATUSES, pendingChangeWhere } from "../operations/pending-change";

/** Everything the customer's subscription page shows, or null when it is not theirs. */
export async function describeSubscription(options: { subscriptionId: string; actor: Actor }) {
  const found = await findAccessibleSubscription(options);
  if (!found) return null;
  const { access } = found;
  // A change that never reached Microsoft must not lock the page: it ends Failed with a reason.
  await expireStaleChanges({ subscriptionId: found.subscription.id });
  const read = await subscriptionWithChanges(found.subscription.id);
  if (!read) return null;
  const { subscription, pending, lastFinished, awaitingMicrosoft } = read;
  let plans: Plan[] = [];
  let plansError = false;
  if (subscription.status === "Subscribed" && customerPermission(subscription, "plan").allowed) {
    try {
      // Named as the catalog names them (else Microsoft's name).
      plans = namedPlans(subscription.offerId, await availablePlans(subscription));
    } catch (error) {
      plansError = true;
      logger.warn("could not load available plans", { subscriptionId: subscription.id, error });
    }
  }
  const currentPlan = plans.find((plan) => plan.planId === subscription.planId);
  return {
    subscription,
    /** The offer's name and links from the catalog (its id when the catalog does not list it). */
    offer: describeOffer(subscription.offerId),
    /** The catalog's plan name, else Microsoft's, else the plan id. */
    planName: describePlan(subscription.offerId, subscription.planId, currentPlan?.displayName).displayName,
    access,
    pending,
    lastFinished,
    /**
     * A change Microsoft accepted whose result its subscription does not show yet (its billing term,
     * say): the page keeps following until it does (acknowledged-changes.ts, the confirmation window).
     */
    awaitingMicrosoft,
    plans,
    plansError,
    currentPlan,
    permissions: {
      plan: customerPermission(subscription, "plan"),
      quantity: customerPermission(subscription, "quantity"),
      cancel: customerPermission(subscription, "cancel"),
    },
  };
}

/**
 * The subscription row with its pending change, its last finished one and whether a change still
 * waits to show at Microsoft, as of one moment (a
 * REPEATABLE READ snapshot). A change ends in the same transaction that stores what Microsoft shows
 * after it (the acknowledgement, the operation poll), so separate reads could pair the row from
 * before with the change already ended: the page would stop following it (no pending, no
 * self-refresh) and keep showing the old term.
 */
function subscriptionWithChanges(subscriptionId: string) {
  return db().$transaction(
    async (tx) => {
      const subscription = await tx.subscription.findUnique({ where: { id: subscriptionId } });
      if (!subscription) return null;
      const pending = await tx.operation.findFirst({
        where: pendingChangeWhere(subscriptionId),
        orderBy: { createdAt: "desc" },
      });
      const lastFinished = await tx.operation.findFirst({
        where: {
          subscriptionId,
          status: { notIn: PENDING_STATUSES },
          source: "Customer",
          action: { not: "Activate" },
        },
        orderBy: { updatedAt: "desc" },
      });
      const awaitingMicrosoft =
        (await tx.operation.count({ where: { subscriptionId, confirmUntil: { gt: new Date() } } })) > 0;
      return { subscription, pending, lastFinished, awaitingMicrosoft };
    },
    { isolationLevel: "RepeatableRead" },
  );
}
