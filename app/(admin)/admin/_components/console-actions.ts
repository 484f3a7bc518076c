"use server";

import { getTranslations } from "next-intl/server";
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
      const t = await getTranslations("admin.consoleActions");
      return { ok: t("webhookRequeued") };
    },
    { action: "retryWebhook", revalidate: { path: `/admin/webhooks/${eventId}` } },
  );
}

export async function retryJobAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      const t = await getTranslations("admin.consoleActions");
      const jobId = z.uuid().safeParse(formData.get("jobId"));
      if (!jobId.success) throw new AppError("invalid_input", { message: t("unknownJob") });
      await retryFailedJob({ jobId: jobId.data, actor, reason: "job_retried" });
      return { ok: t("jobRequeued", { job: jobId.data }) };
    },
    { action: "retryJob", revalidate: { path: "/admin/operations" } },
  );
}

export async function syncNowAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      await startReconciliation({ actor });
      const t = await getTranslations("admin.consoleActions");
      return { ok: t("reconciliationQueued") };
    },
    { action: "syncNow", revalidate: { path: "/admin/reconciliation" } },
  );
}
