"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Actor } from "@/lib/auth/current-user";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { retryFailedJob } from "@/lib/admin/retry-job";
import { retryWebhookEvent } from "@/lib/admin/retry-webhook-event";
import { startReconciliation } from "@/lib/admin/start-reconciliation";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { AdminActionState } from "./action-form";

/** Console actions that are not about one subscription: same rules (admin again, confirmation, messages). */
async function run(path: string, formData: FormData, work: (actor: Actor) => Promise<string>): Promise<AdminActionState> {
  const actor = await requirePublisherAdmin();
  if (formData.get("confirm") !== "yes") return { error: "Tick the confirmation box first. Nothing was changed." };
  try {
    const ok = await work(actor);
    revalidatePath(path);
    return { ok };
  } catch (error) {
    const appError = isAppError(error) ? error : new AppError("internal", { cause: error });
    if (!isAppError(error)) logger.error("admin action crashed", { path, error });
    return { error: appError.code === "invalid_input" ? appError.message : `${appError.title}. ${appError.message}` };
  }
}

export async function retryWebhookAction(eventId: string, _state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return run(`/admin/webhooks/${eventId}`, formData, async (actor) => {
    await retryWebhookEvent({ eventId, actor });
    return "Processing queued again; it re-confirms the operation with Microsoft first.";
  });
}

export async function retryJobAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  const jobId = z.string().regex(/^\d{1,18}$/).safeParse(formData.get("jobId"));
  if (!jobId.success) return { error: "Unknown job. Nothing was changed." };
  return run("/admin/operations", formData, async (actor) => {
    await retryFailedJob({ jobId: BigInt(jobId.data), actor, reason: "job_retried" });
    return `Job ${jobId.data} is queued again.`;
  });
}

export async function syncNowAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return run("/admin/reconciliation", formData, async (actor) => {
    await startReconciliation({ actor });
    return "Reconciliation queued; it appears below when it starts (reload the page).";
  });
}
