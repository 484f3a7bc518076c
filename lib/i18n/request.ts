/**
 * next-intl's per-request configuration (next.config.ts points the plugin here): the locale from
 * the visitor's choice or Accept-Language (lib/i18n/locales.ts), the time zone the browser reported,
 * the messages, and the named formats every page uses. Nothing here throws on bad input: an unknown
 * cookie or header means English.
 */
import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { logger } from "@/lib/logger";
import { formats } from "./formats";
import { LOCALE_COOKIE, resolveLocale, resolveTimeZone, TIME_ZONE_COOKIE } from "./locales";
import { englishText, messagesFor } from "./messages";

const reported = new Set<string>();
function reportOnce(code: string, key: string) {
  if (reported.has(key)) return;
  reported.add(key);
  logger.warn("i18n.message_error", { code, key });
}

export default getRequestConfig(async () => {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale({
    cookie: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: headerList.get("accept-language"),
  });
  return {
    locale,
    timeZone: resolveTimeZone(cookieStore.get(TIME_ZONE_COOKIE)?.value, locale),
    messages: messagesFor(locale),
    formats,
    onError: (error) => reportOnce(error.code, error.message.slice(0, 200)),
    // Never a raw key in front of a user: the English text, else nothing.
    getMessageFallback: ({ namespace, key }) => englishText(namespace ? `${namespace}.${key}` : key) ?? "",
  };
});
