"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { Actor } from "@/lib/auth/actor";
import { runBuyerAction, type BuyerFormState } from "@/lib/auth/run-buyer-action";
import type { SubscriptionChange } from "@/lib/subscriptions/record-subscription-change";
import { requestSubscriptionChange } from "@/lib/subscriptions/request-subscription-change";

export type ChangeFormState = BuyerFormState;

async function submit(subscriptionId: string, actor: Actor, change: SubscriptionChange): Promise<never> {
  await requestSubscriptionChange({ subscriptionId, actor, change });
  // The subscription page the customer came from is in the browser's router cache as it was before
  // the change (no "pending", so no self-refresh): invalidate it, then show it afresh.
  const page = `/account/subscriptions/${encodeURIComponent(subscriptionId)}`;
  revalidatePath(page);
  redirect(page);
}

// The subscription id is bound on the server when the page renders (encrypted by Next), so a
// forged post cannot aim the action at another subscription without passing the same checks.
export async function changePlan(
  subscriptionId: string,
  _state: ChangeFormState,
  formData: FormData,
): Promise<ChangeFormState> {
  return runBuyerAction<ChangeFormState>(
    "change plan",
    async (actor) => {
      const planId = formData.get("planId");
      if (typeof planId !== "string" || planId.length === 0 || planId.length > 200)
        return { fieldErrors: { planId: ["Choose a plan."] } };
      return submit(subscriptionId, actor, { kind: "plan", planId });
    },
    { context: { subscriptionId } },
  );
}

export async function changeSeats(
  subscriptionId: string,
  _state: ChangeFormState,
  formData: FormData,
): Promise<ChangeFormState> {
  return runBuyerAction<ChangeFormState>(
    "change seats",
    (actor) => submit(subscriptionId, actor, { kind: "quantity", quantity: formData.get("quantity") }),
    { context: { subscriptionId } },
  );
}

export async function cancelSubscription(
  subscriptionId: string,
  _state: ChangeFormState,
  formData: FormData,
): Promise<ChangeFormState> {
  return runBuyerAction<ChangeFormState>(
    "cancel subscription",
    async (actor) => {
      if (formData.get("confirm") !== "cancel")
        return { fieldErrors: { confirm: ["Tick the box to confirm the cancellation."] } };
      return submit(subscriptionId, actor, { kind: "cancel" });
    },
    { context: { subscriptionId } },
  );
}
