import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import type { AppError } from "@/lib/errors";
import { appErrorText } from "@/lib/i18n/app-error-text";
import { ErrorPanel } from "./error-panel";

/**
 * An AppError on a server page, in the reader's language. `title` or `message` replace the
 * error's own where the page knows better.
 */
export async function AppErrorPanel({
  error,
  title,
  message,
  children,
}: {
  error: AppError;
  title?: string;
  message?: string;
  children?: ReactNode;
}) {
  const [locale, alerts] = await Promise.all([getLocale(), getTranslations("alerts")]);
  const text = appErrorText(error, locale);
  return (
    <ErrorPanel
      title={title ?? text.title}
      message={message ?? text.message}
      reference={text.reference}
      labels={{ reference: alerts("reference"), homePage: alerts("homePage") }}
    >
      {children}
    </ErrorPanel>
  );
}
