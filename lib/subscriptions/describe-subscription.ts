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
  const { subscription, access } = found;
  // A change that never reached Microsoft must not lock the page: it ends Failed with a reason.
  await expireStaleChanges({ subscriptionId: subscription.id });
  const [pending, lastFinished] = await Promise.all([
    db().operation.findFirst({ where: pendingChangeWhere(subscription.id), orderBy: { createdAt: "desc" } }),
    db().operation.findFirst({
      where: {
        subscriptionId: subscription.id,
        status: { notIn: PENDING_STATUSES },
        source: "Customer",
        action: { not: "Activate" },
      },
      orderBy: { updatedAt: "desc" },
    }),
  ]);
  let plans: Plan[] = [];
  let plansError = false;
  if (subscription.status === "Subscribed" && customerPermission(subscription, "plan").allowed) {
    try {
      // Named as the catalog names them (else Microsoft's name).
      plans = namedPlans(subscription.offerId, await availablePlans(subscription.id));
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
