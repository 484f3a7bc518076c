/**
 * What the preferences page shows for the address a preferences link stands for (preference-token.ts):
 * whether reminders are on and the language of its mails; null for a link that is not valid.
 */
import "server-only";
import { db } from "../db";
import { isLocale, type Locale } from "./notification-kinds";
import { readPreferenceToken } from "./preference-token";

export interface PreferencesView {
  /** The language the link's mail was written in: the page speaks it. */
  pageLocale: Locale;
  remindersOff: boolean;
  /** The chosen language of the mails; null: not chosen (the person's own, else English). */
  locale: Locale | null;
}

export async function readPreferences(token: string): Promise<PreferencesView | null> {
  const claims = await readPreferenceToken(token);
  if (!claims) return null;
  const row = await db().notificationPreference.findUnique({ where: { addressHash: claims.addressHash } });
  const locale = isLocale(row?.locale) ? row.locale : null;
  return { pageLocale: locale ?? claims.locale, remindersOff: row?.remindersOff ?? false, locale };
}
