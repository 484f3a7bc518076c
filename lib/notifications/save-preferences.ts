/**
 * Saves a mailbox's choices from its preferences link (no sign-in: the signed link is the proof,
 * preference-token.ts): reminders on or off, the language of its mails. Service messages are not
 * a choice. Audited without the address.
 */
import "server-only";
import { recordAudit } from "../audit/record-audit";
import { db } from "../db";
import { AppError } from "../errors";
import type { Locale } from "./notification-kinds";
import { readPreferenceToken } from "./preference-token";

export async function savePreferences(options: {
  token: string;
  remindersOff?: boolean;
  /** null: no choice (the person's own language, else English). */
  locale?: Locale | null;
}): Promise<void> {
  const claims = await readPreferenceToken(options.token);
  if (!claims) throw new AppError("invalid_input", { reason: "preferencesLinkInvalid" });
  const change = {
    ...(options.remindersOff === undefined ? {} : { remindersOff: options.remindersOff }),
    ...(options.locale === undefined ? {} : { locale: options.locale }),
  };
  await db().$transaction(async (tx) => {
    await tx.notificationPreference.upsert({
      where: { addressHash: claims.addressHash },
      create: { addressHash: claims.addressHash, ...change },
      update: change,
    });
    await recordAudit(tx, {
      actor: { actorType: "user" },
      action: "notification_preferences_changed",
      detail: { ...change, via: "preferences link" },
    });
  });
}
