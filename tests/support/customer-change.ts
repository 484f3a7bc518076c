/**
 * A customer's change as the account pages make it: a plan or seat change is reviewed first
 * (reviewSubscriptionChange, the review page) and confirmed with the consequences reviewed
 * (requestSubscriptionChange, the confirm button). When the review has nothing to confirm (not
 * theirs, not allowed, a change pending, bad input), the confirmation is still sent, with terms no
 * review produced, so the test sees the server's own refusal.
 */
import type { Actor } from "@/lib/auth/current-user";
import type { RequestedChange, ReviewedTerms } from "@/lib/subscriptions/change-consequences";
import { requestSubscriptionChange } from "@/lib/subscriptions/request-subscription-change";
import { reviewSubscriptionChange } from "@/lib/subscriptions/review-subscription-change";

export async function reviewChange(options: {
  subscriptionId: string;
  actor: Actor;
  change: RequestedChange;
}): Promise<ReviewedTerms> {
  const result = await reviewSubscriptionChange(options);
  if (result?.review.state === "ready") return result.review.consequences.reviewed;
  return {
    kind: options.change.kind,
    fromPlanId: "not-reviewed",
    fromSeats: null,
    planId: "not-reviewed",
    seats: null,
    termUnits: [],
    termEnd: null,
    prices: [],
  };
}

export async function reviewAndConfirm(options: {
  subscriptionId: string;
  actor: Actor;
  change: RequestedChange | { kind: "cancel" };
}) {
  const { change } = options;
  if (change.kind === "cancel") return requestSubscriptionChange({ ...options, change });
  const reviewed = await reviewChange({ ...options, change });
  return requestSubscriptionChange({ ...options, change: { ...change, reviewed } });
}
