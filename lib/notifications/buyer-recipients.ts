/**
 * Who hears about a subscription: its purchaser and its beneficiary (Microsoft's emailId of each),
 * one message per address — the same person in both roles gets one. An address that cannot
 * receive mail is kept, with the reason, so its notification is written as failed and says why
 * while the others go. Names come from the people's sign-ins, when they signed in.
 */
import "server-only";
import type { Subscription } from "../generated/prisma/client";
import type { JobWriter } from "../jobs/enqueue";
import { addressProblem, headerText, normalizeAddress } from "./mail-text";
import type { Locale } from "./notification-kinds";
import { recipientLocale } from "./recipient-locale";

export interface BuyerRecipient {
  address: string;
  name: string | null;
  locale: Locale;
  /** Why no mail can go to this address; null when it can. */
  problem: string | null;
}

type Parties = Pick<
  Subscription,
  | "purchaserEmail"
  | "purchaserTenantId"
  | "purchaserObjectId"
  | "beneficiaryEmail"
  | "beneficiaryTenantId"
  | "beneficiaryObjectId"
>;

export async function buyerRecipients(writer: JobWriter, subscription: Parties): Promise<BuyerRecipient[]> {
  const parties = [
    { email: subscription.purchaserEmail, tid: subscription.purchaserTenantId, oid: subscription.purchaserObjectId },
    {
      email: subscription.beneficiaryEmail,
      tid: subscription.beneficiaryTenantId,
      oid: subscription.beneficiaryObjectId,
    },
  ];
  const recipients = new Map<string, BuyerRecipient>();
  for (const party of parties) {
    if (!party.email?.trim()) continue;
    const problem = addressProblem(party.email.trim());
    const address = problem ? headerText(party.email, 200) : normalizeAddress(party.email);
    if (recipients.has(address)) continue;
    const user =
      party.tid && party.oid
        ? await writer.user.findUnique({
            where: { tid_oid: { tid: party.tid, oid: party.oid } },
            select: { name: true },
          })
        : null;
    recipients.set(address, {
      address,
      name: user?.name ? headerText(user.name, 120) : null,
      locale: problem ? "en" : await recipientLocale(writer, { address, tid: party.tid, oid: party.oid }),
      problem,
    });
  }
  return [...recipients.values()];
}
