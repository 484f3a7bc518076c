"use server";

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
      return {
        ok: "Submission queued: every closed hour is sent now, without waiting for the usual delay or retry backoff. Reload to see the results.",
      };
    },
    usagePages,
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
      if (!/^\d{1,18}$/.test(hourId))
        throw new AppError("invalid_input", { message: "Unknown hour. Nothing was changed." });
      const retried = await retryUsageHour({ hourId: BigInt(hourId), actor });
      return retried
        ? { ok: "Queued: this hour is sent again now." }
        : {
            error:
              "This hour cannot be sent again (it is billed, already waiting, or outside Microsoft's 24-hour window).",
          };
    },
    usagePages,
  );
}
