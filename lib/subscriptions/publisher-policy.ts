/**
 * The publisher's decision on a plan or seat change that Microsoft asks us to accept
 * (ChangePlan / ChangeQuantity webhooks, marketplace-contract.md §4.5): allowed plan moves and seat
 * limits from configuration, then an optional hook to the ISV's product.
 */
import type { PublisherPolicy } from "../env";

export interface ChangeRequest {
  subscriptionId: string;
  action: "ChangePlan" | "ChangeQuantity" | "Reinstate";
  currentPlanId: string;
  currentQuantity: number | null;
  planId: string;
  quantity: number | null;
}

/** Which configured rule refused a change, as data (the customer's pages word it in their language). */
export type PolicyRule =
  | { rule: "plan-move"; from: string; to: string }
  | { rule: "seats-minimum"; planId: string; limit: number }
  | { rule: "seats-maximum"; planId: string; limit: number };

/** `reason` is for the operators' record (audit, webhook log); `refused` names the rule that refused. */
export type RuleDecision = { accept: true; reason: string } | { accept: false; reason: string; refused: PolicyRule };
export type Decision = RuleDecision | { accept: false; reason: string };

/** The rules that need no network: plan moves and seat limits. */
export function decideByRules(
  policy: Pick<PublisherPolicy, "allowedPlanMoves" | "seatLimits">,
  change: ChangeRequest,
): RuleDecision {
  if (change.action === "ChangePlan" && change.planId !== change.currentPlanId) {
    const allowed = policy.allowedPlanMoves?.[change.currentPlanId];
    if (allowed && !allowed.includes(change.planId)) {
      return {
        accept: false,
        reason: `Moving from plan ${change.currentPlanId} to ${change.planId} is not offered by the publisher.`,
        refused: { rule: "plan-move", from: change.currentPlanId, to: change.planId },
      };
    }
  }
  const limits = policy.seatLimits?.[change.planId];
  if (limits && change.quantity !== null) {
    if (limits.min !== undefined && change.quantity < limits.min)
      return {
        accept: false,
        reason: `Plan ${change.planId} needs at least ${limits.min} seats.`,
        refused: { rule: "seats-minimum", planId: change.planId, limit: limits.min },
      };
    if (limits.max !== undefined && change.quantity > limits.max)
      return {
        accept: false,
        reason: `Plan ${change.planId} allows at most ${limits.max} seats.`,
        refused: { rule: "seats-maximum", planId: change.planId, limit: limits.max },
      };
  }
  return { accept: true, reason: "Allowed by the publisher's policy." };
}

/** Rules first; then, when configured, the product's own answer within its timeout. */
export async function decideChange(
  policy: PublisherPolicy,
  change: ChangeRequest,
  fetchImpl: typeof fetch = fetch,
): Promise<Decision> {
  const byRules = decideByRules(policy, change);
  if (!byRules.accept || !policy.hookUrl) return byRules;
  try {
    const response = await fetchImpl(policy.hookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(change),
      signal: AbortSignal.timeout(policy.hookTimeoutMs),
    });
    if (!response.ok) throw new Error(`hook answered ${response.status}`);
    const answer = (await response.json()) as { accept?: unknown; reason?: unknown };
    if (typeof answer.accept !== "boolean") throw new Error("hook answer has no boolean 'accept'");
    const reason =
      typeof answer.reason === "string"
        ? answer.reason.slice(0, 500)
        : answer.accept
          ? "Accepted by the product."
          : "Refused by the product.";
    return answer.accept ? { accept: true, reason } : { accept: false, reason };
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return policy.onHookFailure === "accept"
      ? { accept: true, reason: `The product's hook failed (${why}); accepted by default.` }
      : { accept: false, reason: `The product's hook failed (${why}); refused by policy.` };
  }
}
