/**
 * Remembers the language a signed-in person chose in the portal (by tid + oid), so the mails the
 * portal sends them later are written in it (recipient-locale.ts). For the locale switcher of the
 * pages; an unknown language changes nothing.
 */
import "server-only";
import { db } from "../db";
import { isLocale } from "./notification-kinds";

export async function rememberUserLocale(options: { tid: string; oid: string; locale: string }): Promise<boolean> {
  if (!isLocale(options.locale)) return false;
  const updated = await db().user.updateMany({
    where: { tid: options.tid, oid: options.oid },
    data: { locale: options.locale },
  });
  return updated.count > 0;
}
