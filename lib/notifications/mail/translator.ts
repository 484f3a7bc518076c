/**
 * The notifications' strings, from the message catalogs `messages/{en,ja}/notifications.json`
 * (the namespace `notifications` of the portal's next-intl messages), through `createTranslator`
 * from `use-intl/core` (next-intl's React-free core, as in the rest of lib), which works outside a request: the send job has none. Dates are written as
 * calendar days in UTC. A key missing in one language is a test failure (translator.test.ts),
 * never a blank in a mail.
 */
import { createTranslator } from "use-intl/core";
import en from "../../../messages/en/notifications.json";
import ja from "../../../messages/ja/notifications.json";
import type { Locale } from "../notification-kinds";

export const notificationMessages: Record<Locale, typeof en> = { en, ja };

export function notificationTranslator(locale: Locale) {
  return createTranslator({
    locale,
    messages: { notifications: notificationMessages[locale] },
    namespace: "notifications",
    timeZone: "UTC",
    onError: (error) => {
      throw error;
    },
  });
}

export type NotificationTranslator = ReturnType<typeof notificationTranslator>;
