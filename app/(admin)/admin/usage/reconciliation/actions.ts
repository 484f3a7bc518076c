"use server";

import { requestUsageReconciliation } from "@/lib/metering/reconcile-usage";
import type { AdminActionState } from "../../_components/action-form";
import { runAdminAction } from "../../_components/run-admin-action";

/** "Check with Microsoft now": queues one usage reconciliation (audited); a second click while it waits changes nothing. */
export async function checkUsageNowAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      const queued = await requestUsageReconciliation({ actor });
      return {
        ok: queued
          ? "Check queued: the portal is asking Microsoft what it recorded. Reload in a few seconds to see the findings."
          : "A check is already waiting to run; it will pick up everything. Reload in a few seconds to see the findings.",
      };
    },
    { revalidate: { path: "/admin/usage", type: "layout" } },
  );
}
