"use server";

import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { resendNotification } from "@/lib/notifications/resend-notification";
import type { AdminActionState } from "../_components/action-form";
import { runAdminAction } from "../_components/run-admin-action";

export async function resendNotificationAction(
  notificationId: string,
  _state: AdminActionState,
  formData: FormData,
): Promise<AdminActionState> {
  return runAdminAction(
    formData,
    async (actor) => {
      const t = await getTranslations("adminNotifications.actions");
      if (!z.uuid().safeParse(notificationId).success)
        throw new AppError("invalid_input", { message: t("unknownNotification") });
      await resendNotification({ notificationId, actor });
      return { ok: t("queued") };
    },
    { action: "resendNotification", revalidate: { path: "/admin/notifications" } },
  );
}
