/**
 * An AppError in the reader's language (messages/<locale>/errors.json): the code's title, and as
 * message the thrower's reason, else its English detail as given, else the code's own message.
 * Takes the locale rather than reading the request, so pages, actions and jobs use it alike.
 */
import { createTranslator } from "use-intl/core";
import type { AppError } from "@/lib/errors";
import type { Locale } from "./locales";
import { messagesFor } from "./messages";

export interface AppErrorText {
  title: string;
  message: string;
  /** For support: Microsoft's correlation id, or the one our log line carries. */
  reference?: string;
}

export function appErrorText(error: AppError, locale: Locale): AppErrorText {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "errors" });
  const reason = typeof error.reason === "string" ? { key: error.reason, values: {} } : error.reason;
  return {
    title: t(`${error.code}.title`),
    message: reason ? t(`reasons.${reason.key}`, reason.values) : (error.detail ?? t(`${error.code}.message`)),
    ...(error.reference ? { reference: error.reference } : {}),
  };
}
