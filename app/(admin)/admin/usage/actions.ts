"use server";

import { revalidatePath } from "next/cache";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { logger } from "@/lib/logger";
import { retryUsageHour } from "@/lib/metering/retry-usage-hour";
import { requestUsageSubmission } from "@/lib/metering/schedule-usage-submission";
import type { AdminActionState } from "../_components/action-form";

async function run(formData: FormData, work: (actor: Awaited<ReturnType<typeof requirePublisherAdmin>>) => Promise<AdminActionState>): Promise<AdminActionState> {
  const actor = await requirePublisherAdmin();
  if (formData.get("confirm") !== "yes") return { error: "Tick the confirmation box first. Nothing was changed." };
  try {
    const state = await work(actor);
    revalidatePath("/admin/usage", "layout");
    return state;
  } catch (error) {
    logger.error("usage admin action failed", { error });
    return { error: "That did not work; nothing was changed. Please try again." };
  }
}

export async function submitUsageNowAction(_state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  return run(formData, async () => {
    await requestUsageSubmission({ trigger: "manual" });
    return { ok: "Submission queued: every closed hour is sent now, without waiting for the usual delay or retry backoff. Reload to see the results." };
  });
}

export async function retryUsageHourAction(hourId: string, _state: AdminActionState, formData: FormData): Promise<AdminActionState> {
  if (!/^\d{1,18}$/.test(hourId)) return { error: "Unknown hour. Nothing was changed." };
  return run(formData, async (actor) => {
    const retried = await retryUsageHour({ hourId: BigInt(hourId), actor });
    return retried ? { ok: "Queued: this hour is sent again now." } : { error: "This hour cannot be sent again (it is billed, already waiting, or outside Microsoft's 24-hour window)." };
  });
}
