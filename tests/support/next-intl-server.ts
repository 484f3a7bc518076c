/**
 * next-intl's request APIs ("next-intl/server") for Vitest. Outside a Next.js request there is no
 * request configuration to read (the next-intl plugin wires lib/i18n/request.ts in at build time),
 * so vitest.config.ts resolves the module here: the same catalogs, formats and English fallback,
 * in the language a test chooses with setTestLocale (English unless it says otherwise).
 */
import { createFormatter, createTranslator } from "next-intl";
import { formats } from "@/lib/i18n/formats";
import type { Locale } from "@/lib/i18n/locales";
import { messagesFor } from "@/lib/i18n/messages";
import type { Messages } from "@/messages";

let current: Locale = "en";
const timeZone = "UTC";

/** The language every following call answers in (reset it in afterEach when a test changes it). */
export function setTestLocale(locale: Locale) {
  current = locale;
}

export async function getLocale(): Promise<Locale> {
  return current;
}

export async function getMessages(): Promise<Messages> {
  return messagesFor(current);
}

export async function getTimeZone() {
  return timeZone;
}

export async function getTranslations(namespace?: string | { namespace?: string; locale?: Locale }) {
  const options = typeof namespace === "object" ? namespace : { namespace };
  const locale = options.locale ?? current;
  return createTranslator({
    locale,
    messages: messagesFor(locale),
    namespace: options.namespace as never,
    formats,
    timeZone,
  });
}

export async function getFormatter() {
  return createFormatter({ locale: current, formats, timeZone });
}

export function getRequestConfig<T>(create: T): T {
  return create;
}
