import { createFormatter, createTranslator } from "use-intl/core";
import { formats } from "../i18n/formats";
import type { Locale } from "../i18n/locales";
import { messagesFor } from "../i18n/messages";
import type { Format, Translate } from "./subscription-words";

const cache = new Map<Locale, { t: Translate; format: Format }>();

/**
 * A translator and formatter for one language outside a page's request: for what the server
 * writes in English (an error's message that the admin console and the logs show, e.g. the refusal
 * of a change thrown as AppError), and for tests of the words in each language. The customer's
 * pages use the request's own (`getTranslations()`, `getFormatter()`) instead.
 */
export function wordsFor(locale: Locale): { t: Translate; format: Format } {
  let words = cache.get(locale);
  if (!words) {
    words = {
      t: createTranslator({ locale, messages: messagesFor(locale) }),
      // Term days are UTC calendar days (the "day" format says so); moments are not written here.
      format: createFormatter({ locale, formats, timeZone: "UTC" }),
    };
    cache.set(locale, words);
  }
  return words;
}
