/**
 * The language a notification to someone is written in: the choice made on the preferences page
 * (for that address), else the person's own choice in the portal (User.locale, by tid + oid), else
 * English.
 */
import "server-only";
import type { JobWriter } from "../jobs/enqueue";
import { addressHash } from "./mail-text";
import { isLocale, type Locale } from "./notification-kinds";

export async function recipientLocale(
  writer: JobWriter,
  recipient: { address: string; tid?: string | null; oid?: string | null },
): Promise<Locale> {
  const preference = await writer.notificationPreference.findUnique({
    where: { addressHash: addressHash(recipient.address) },
    select: { locale: true },
  });
  if (isLocale(preference?.locale)) return preference.locale;
  if (recipient.tid && recipient.oid) {
    const user = await writer.user.findUnique({
      where: { tid_oid: { tid: recipient.tid, oid: recipient.oid } },
      select: { locale: true },
    });
    if (isLocale(user?.locale)) return user.locale;
  }
  return "en";
}
