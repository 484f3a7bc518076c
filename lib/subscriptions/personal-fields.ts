/**
 * The personal data a subscription row holds (docs/decisions/0015): the name the buyer gave it,
 * the purchaser's and beneficiary's emails and Microsoft account ids (puid), and the account
 * configuration they typed. Tenant and object ids, statuses, plan, seats and dates are not
 * personal in this sense: they stay, so the subscription's history still reads.
 */
import "server-only";
import { Prisma } from "../generated/prisma/client";

/**
 * What a purge writes over the personal fields. The name is required and shown on every page
 * that lists the subscription, so it becomes a neutral label rather than empty.
 */
export const PURGED_FIELDS = {
  name: "Cancelled subscription",
  beneficiaryEmail: null,
  beneficiaryPuid: null,
  purchaserEmail: null,
  purchaserPuid: null,
  accountConfig: Prisma.DbNull,
} as const;

export type PersonalField = keyof typeof PURGED_FIELDS;
export const personalFieldNames = Object.keys(PURGED_FIELDS) as PersonalField[];

/**
 * Microsoft's fields for a row whose personal data was purged: without the personal ones, so a
 * later read from Microsoft (reconciliation lists cancelled subscriptions too) does not bring back
 * what was removed.
 */
export function withoutPersonalFields<T extends Record<string, unknown>>(
  fields: T,
  purged: { dataPurgedAt: Date | null },
): Omit<T, PersonalField> & Partial<Pick<T, PersonalField & keyof T>> {
  if (!purged.dataPurgedAt) return fields;
  return Object.fromEntries(
    Object.entries(fields).filter(([key]) => !(personalFieldNames as string[]).includes(key)),
  ) as Omit<T, PersonalField> & Partial<Pick<T, PersonalField & keyof T>>;
}

/**
 * Removes the personal fields of a cancelled subscription whose retention period ended, in the
 * caller's transaction; false when it is not due (not cancelled, still retained, or already purged).
 */
export async function erasePersonalFields(tx: Prisma.TransactionClient, subscriptionId: string, now: Date) {
  const updated = await tx.subscription.updateMany({
    where: { id: subscriptionId, status: "Unsubscribed", dataRetainedUntil: { lte: now }, dataPurgedAt: null },
    data: { ...PURGED_FIELDS, dataPurgedAt: now },
  });
  return updated.count === 1;
}
