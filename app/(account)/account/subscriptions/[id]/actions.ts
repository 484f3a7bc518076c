"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { isAppError, toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { SubscriptionChange } from "@/lib/subscriptions/record-subscription-change";
import { requestSubscriptionChange } from "@/lib/subscriptions/request-subscription-change";

export interface ChangeFormState {
  error?: string;
  fieldErrors?: Record<string, string[]>;
}

async function submit(subscriptionId: string, change: SubscriptionChange): Promise<ChangeFormState> {
  const actor = await currentUser();
  if (!actor) return { error: "Your session has ended. Sign in again to continue." };
  try {
    await requestSubscriptionChange({ subscriptionId, actor, change });
  } catch (error) {
    const appError = toAppError(error);
    if (!isAppError(error)) logger.error("customer change crashed", { subscriptionId, error });
    return {
      error: appError.code === "invalid_input" ? appError.message : `${appError.title}. ${appError.message}`,
      fieldErrors: appError.fieldErrors,
    };
  }
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
  const planId = formData.get("planId");
  if (typeof planId !== "string" || planId.length === 0 || planId.length > 200)
    return { fieldErrors: { planId: ["Choose a plan."] } };
  return submit(subscriptionId, { kind: "plan", planId });
}

export async function changeSeats(
  subscriptionId: string,
  _state: ChangeFormState,
  formData: FormData,
): Promise<ChangeFormState> {
  return submit(subscriptionId, { kind: "quantity", quantity: formData.get("quantity") });
}

export async function cancelSubscription(
  subscriptionId: string,
  _state: ChangeFormState,
  formData: FormData,
): Promise<ChangeFormState> {
  if (formData.get("confirm") !== "cancel")
    return { fieldErrors: { confirm: ["Tick the box to confirm the cancellation."] } };
  return submit(subscriptionId, { kind: "cancel" });
}
