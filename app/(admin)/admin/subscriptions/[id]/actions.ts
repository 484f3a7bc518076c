"use server";

import { redirect } from "next/navigation";
import type { Actor } from "@/lib/auth/current-user";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { activateAsPublisher } from "@/lib/admin/activate-as-publisher";
import { requestPublisherChange } from "@/lib/admin/request-publisher-change";
import { resyncSubscription } from "@/lib/admin/resync-subscription";
import { retryFailedJob } from "@/lib/admin/retry-job";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { ACKNOWLEDGE_JOB } from "@/lib/operations/acknowledge-operation";
import type { AdminActionState } from "../../_components/action-form";
import type { DoneKey } from "./done-messages";

/**
 * Console actions on one subscription. The id is bound on the server when the page renders; each
 * action checks the admin again (a forged post from anyone else gets a 404), requires the
 * confirmation box, and maps failures to a message — wrong-state actions change nothing.
 */
async function run(subscriptionId: string, formData: FormData, work: (actor: Actor) => Promise<DoneKey>): Promise<AdminActionState> {
  const actor = await requirePublisherAdmin();
  if (formData.get("confirm") !== "yes") return { error: "Tick the confirmation box first. Nothing was changed." };
  let done: DoneKey;
  try {
    done = await work(actor);
  } catch (error) {
    const appError = isAppError(error) ? error : new AppError("internal", { cause: error });
    if (!isAppError(error)) logger.error("admin action crashed", { subscriptionId, error });
    // No revalidation here: re-rendering would drop the form (and this message) when the state changed under it.
    return { error: `${appError.title}. ${appError.message}${appError.reference ? ` (reference ${appError.reference})` : ""}` };
  }
  // The form that was used may no longer apply (e.g. activate once active): the page says what happened.
  redirect(`/admin/subscriptions/${encodeURIComponent(subscriptionId)}?done=${done}`);
}

export async function activateAction(subscriptionId: string, _state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return run(subscriptionId, formData, async (actor) => {
    const result = await activateAsPublisher({ subscriptionId, actor });
    return result.status === "Subscribed" ? "activated" : "activation-processing";
  });
}

export async function changePlanAction(subscriptionId: string, _state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const planId = formData.get("planId");
  if (typeof planId !== "string" || planId.length === 0 || planId.length > 200) return { error: "Choose a plan. Nothing was changed." };
  return run(subscriptionId, formData, async (actor) => {
    await requestPublisherChange({ subscriptionId, actor, change: { kind: "plan", planId } });
    return "plan-requested";
  });
}

export async function changeSeatsAction(subscriptionId: string, _state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return run(subscriptionId, formData, async (actor) => {
    await requestPublisherChange({ subscriptionId, actor, change: { kind: "quantity", quantity: formData.get("quantity") } });
    return "seats-requested";
  });
}

export async function unsubscribeAction(subscriptionId: string, _state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return run(subscriptionId, formData, async (actor) => {
    await requestPublisherChange({ subscriptionId, actor, change: { kind: "cancel" } });
    return "cancel-requested";
  });
}

export async function resyncAction(subscriptionId: string, _state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return run(subscriptionId, formData, async (actor) => {
    const result = await resyncSubscription({ subscriptionId, actor });
    return result.refused ? "resync-refused" : "resynced";
  });
}

export async function resendAcknowledgementAction(subscriptionId: string, _state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const jobId = formData.get("jobId");
  if (typeof jobId !== "string" || !/^\d{1,18}$/.test(jobId)) return { error: "Choose an acknowledgement. Nothing was changed." };
  return run(subscriptionId, formData, async (actor) => {
    await retryFailedJob({ jobId: BigInt(jobId), actor, subscriptionId, type: ACKNOWLEDGE_JOB, reason: "acknowledgement_resent" });
    return "ack-requeued";
  });
}
