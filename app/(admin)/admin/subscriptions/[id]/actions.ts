"use server";

import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { Actor } from "@/lib/auth/actor";
import { activateAsPublisher } from "@/lib/admin/activate-as-publisher";
import { requestPublisherChange } from "@/lib/admin/request-publisher-change";
import { resyncSubscription } from "@/lib/admin/resync-subscription";
import { retryFailedJob } from "@/lib/admin/retry-job";
import { AppError } from "@/lib/errors";
import { acknowledgeOperationJob } from "@/lib/operations/acknowledge-operation";
import type { AdminActionState } from "../../_components/action-form";
import { runAdminAction } from "../../_components/run-admin-action";
import type { DoneKey } from "./done-messages";

/**
 * Console actions on one subscription. The id is bound on the server when the page renders; each
 * action goes through runAdminAction (admin again, confirmation, messages) and, when done, shows
 * the subscription page saying what happened — wrong-state actions change nothing.
 */
async function run(
  action: string,
  subscriptionId: string,
  formData: FormData,
  work: (actor: Actor) => Promise<DoneKey>,
): Promise<AdminActionState> {
  // No revalidation on failure: re-rendering would drop the form (and its message) when the state changed under it.
  const state = await runAdminAction(formData, async (actor) => ({ ok: await work(actor) }), { action });
  // The form that was used may no longer apply (e.g. activate once active): the page says what happened.
  if (state.ok) redirect(`/admin/subscriptions/${encodeURIComponent(subscriptionId)}?done=${state.ok}`);
  return state;
}

export async function activateAction(
  subscriptionId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return run("activate", subscriptionId, formData, async (actor) => {
    const result = await activateAsPublisher({ subscriptionId, actor });
    return result.status === "Subscribed" ? "activated" : "activation-processing";
  });
}

export async function changePlanAction(
  subscriptionId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return run("changePlan", subscriptionId, formData, async (actor) => {
    const planId = formData.get("planId");
    if (typeof planId !== "string" || planId.length === 0 || planId.length > 200)
      throw new AppError("invalid_input", {
        message: (await getTranslations("admin.subscriptionActions"))("choosePlan"),
      });
    await requestPublisherChange({ subscriptionId, actor, change: { kind: "plan", planId } });
    return "plan-requested";
  });
}

export async function changeSeatsAction(
  subscriptionId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return run("changeSeats", subscriptionId, formData, async (actor) => {
    await requestPublisherChange({
      subscriptionId,
      actor,
      change: { kind: "quantity", quantity: formData.get("quantity") },
    });
    return "seats-requested";
  });
}

export async function unsubscribeAction(
  subscriptionId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return run("unsubscribe", subscriptionId, formData, async (actor) => {
    await requestPublisherChange({ subscriptionId, actor, change: { kind: "cancel" } });
    return "cancel-requested";
  });
}

export async function resyncAction(
  subscriptionId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return run("resync", subscriptionId, formData, async (actor) => {
    const result = await resyncSubscription({ subscriptionId, actor });
    return result.refused ? "resync-refused" : "resynced";
  });
}

export async function resendAcknowledgementAction(
  subscriptionId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return run("resendAcknowledgement", subscriptionId, formData, async (actor) => {
    const jobId = formData.get("jobId");
    if (typeof jobId !== "string" || !/^[0-9a-f-]{36}$/i.test(jobId))
      throw new AppError("invalid_input", {
        message: (await getTranslations("admin.subscriptionActions"))("chooseAcknowledgement"),
      });
    await retryFailedJob({
      jobId,
      actor,
      subscriptionId,
      job: acknowledgeOperationJob,
      reason: "acknowledgement_resent",
    });
    return "ack-requeued";
  });
}
