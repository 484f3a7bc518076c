"use server";

import { getTranslations } from "next-intl/server";
import { AppError } from "@/lib/errors";
import { retryUsageHour } from "@/lib/metering/retry-usage-hour";
import { requestUsageSubmission } from "@/lib/metering/submit-usage";
import type { AdminActionState } from "../_components/action-form";
import { runAdminAction } from "../_components/run-admin-action";

const usagePages = { revalidate: { path: "/admin/usage", type: "layout" as const } };

export async function submitUsageNowAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async () => {
      await requestUsageSubmission({ trigger: "manual" });
      return { ok: (await getTranslations("adminUsage.actions"))("submissionQueued") };
    },
    { action: "submitUsageNow", ...usagePages },
  );
}

export async function retryUsageHourAction(
  hourId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      const t = await getTranslations("adminUsage.actions");
      if (!/^\d{1,18}$/.test(hourId)) throw new AppError("invalid_input", { message: t("unknownHour") });
      const retried = await retryUsageHour({ hourId: BigInt(hourId), actor });
      return retried ? { ok: t("hourQueued") } : { error: t("hourNotRetryable") };
    },
    { action: "retryUsageHour", ...usagePages },
  );
}
