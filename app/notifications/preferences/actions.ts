"use server";

import { redirect } from "next/navigation";
import { isLocale } from "@/lib/notifications/notification-kinds";
import { savePreferences } from "@/lib/notifications/save-preferences";
import { withServerActionSpan } from "@/lib/telemetry/telemetry";

/** The preferences form (no sign-in: the signed token in the link is the proof). */
export async function savePreferencesAction(formData: FormData): Promise<void> {
  return withServerActionSpan("save email preferences", () => savePreferencesFrom(formData));
}

async function savePreferencesFrom(formData: FormData): Promise<void> {
  const token = formData.get("token");
  if (typeof token !== "string" || token.length > 1000) redirect("/notifications/preferences");
  const reminders = formData.get("reminders");
  const locale = formData.get("locale");
  let outcome = "saved";
  try {
    await savePreferences({
      token,
      ...(reminders === "on" || reminders === "off" ? { remindersOff: reminders === "off" } : {}),
      ...(locale === "" ? { locale: null } : isLocale(locale) ? { locale } : {}),
    });
  } catch {
    outcome = "invalid";
  }
  const stopped = formData.get("stop") === "reminders" && outcome === "saved";
  redirect(`/notifications/preferences?token=${encodeURIComponent(token)}&done=${stopped ? "stopped" : outcome}`);
}
