"use server";

import { z } from "zod";
import { retryFailedJob } from "@/lib/admin/retry-job";
import { retryWebhookEvent } from "@/lib/admin/retry-webhook-event";
import { startReconciliation } from "@/lib/admin/start-reconciliation";
import { AppError } from "@/lib/errors";
import type { AdminActionState } from "./action-form";
import { runAdminAction } from "./run-admin-action";

/** Console actions that are not about one subscription (runAdminAction: admin again, confirmation, messages). */
export async function retryWebhookAction(
  eventId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      await retryWebhookEvent({ eventId, actor });
      return { ok: "Processing queued again; it re-confirms the operation with Microsoft first." };
    },
    { revalidate: { path: `/admin/webhooks/${eventId}` } },
  );
}

export async function retryJobAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      const jobId = z.uuid().safeParse(formData.get("jobId"));
      if (!jobId.success) throw new AppError("invalid_input", { message: "Unknown job. Nothing was changed." });
      await retryFailedJob({ jobId: jobId.data, actor, reason: "job_retried" });
      return { ok: `Job ${jobId.data} is queued again.` };
    },
    { revalidate: { path: "/admin/operations" } },
  );
}

export async function syncNowAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      await startReconciliation({ actor });
      return { ok: "Reconciliation queued; it appears below when it starts (reload the page)." };
    },
    { revalidate: { path: "/admin/reconciliation" } },
  );
}
