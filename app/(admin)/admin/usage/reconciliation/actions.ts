"use server";

import { getTranslations } from "next-intl/server";
import { requestUsageReconciliation } from "@/lib/metering/reconcile-usage";
import type { AdminActionState } from "../../_components/action-form";
import { runAdminAction } from "../../_components/run-admin-action";

/** "Check with Microsoft now": queues one usage reconciliation (audited); a second click while it waits changes nothing. */
export async function checkUsageNowAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      const queued = await requestUsageReconciliation({ actor });
      const t = await getTranslations("adminUsage.actions");
      return { ok: queued ? t("checkQueued") : t("checkAlreadyWaiting") };
    },
    { action: "checkUsageNow", revalidate: { path: "/admin/usage", type: "layout" } },
  );
}
