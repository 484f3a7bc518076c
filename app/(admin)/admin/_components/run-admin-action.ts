import "server-only";
import { revalidatePath } from "next/cache";
import { getLocale, getTranslations } from "next-intl/server";
import type { Actor } from "@/lib/auth/actor";
import { requirePublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { isAppError, toAppError, type AppError } from "@/lib/errors";
import { appErrorText } from "@/lib/i18n/app-error-text";
import { logger } from "@/lib/logger";
import { withServerActionSpan } from "@/lib/telemetry/telemetry";
import type { AdminActionState } from "./action-form";

/**
 * Every console action, in one order: the admin check first (anyone else gets a 404 before any
 * input is looked at), then the confirmation box, then the work. Bad input is thrown by the work
 * as AppError "invalid_input"; every failure becomes a message and changes nothing. A form may
 * answer more than a message (State), e.g. a new secret shown once. Each runs in a span
 * `server action <options.action>` (README "OpenTelemetry").
 */
export async function runAdminAction<State extends AdminActionState = AdminActionState>(
  formData: FormData,
  work: (actor: Actor) => Promise<State>,
  options: { action: string; revalidate?: { path: string; type?: "layout" | "page" } },
): Promise<State | AdminActionState> {
  return withServerActionSpan(options.action, () => runAction(formData, work, options));
}

async function runAction<State extends AdminActionState>(
  formData: FormData,
  work: (actor: Actor) => Promise<State>,
  options: { revalidate?: { path: string; type?: "layout" | "page" } },
): Promise<State | AdminActionState> {
  const actor = await requirePublisherAdmin();
  const t = await getTranslations("admin.actionErrors");
  if (formData.get("confirm") !== "yes") return { error: t("confirmFirst") };
  let state: State;
  try {
    state = await work(actor);
  } catch (error) {
    const appError = toAppError(error);
    if (!isAppError(error)) logger.error("admin action crashed", { error });
    return { error: await describeRefusal(appError) };
  }
  if (options.revalidate) revalidatePath(options.revalidate.path, options.revalidate.type);
  return state;
}

/** A refusal in the operator's language (lib/i18n/app-error-text.ts: the code's title, the thrower's reason or detail). */
async function describeRefusal(error: AppError): Promise<string> {
  const [t, locale] = await Promise.all([getTranslations("admin.actionErrors"), getLocale()]);
  const { title, message } = appErrorText(error, locale);
  const withReference = error.reference ? t("withReference", { message, reference: error.reference }) : message;
  if (error.code === "invalid_input") return withReference;
  return t("titled", { title, message: withReference });
}
