/**
 * The `colleague_invitation` mail: the invitation link a buyer created, sent to the colleague's
 * address they gave, written with the invitation. The link is the invitation's secret (only its
 * hash is stored, docs/decisions/0003): the row keeps it sealed (sealed-link.ts) until the mail is
 * sent, then erases it. In the colleague's language when known, else the inviter's.
 */
import "server-only";
import type { Prisma, Subscription } from "../generated/prisma/client";
import { addressHash, headerText, normalizeAddress } from "./mail-text";
import { isLocale } from "./notification-kinds";
import { queueNotifications } from "./queue-notifications";
import { sealLink } from "./sealed-link";
import { subscriptionFactsOf } from "./subscription-facts";

export async function notifyColleagueInvited(
  tx: Prisma.TransactionClient,
  invitation: {
    subscription: Subscription;
    inviteId: string;
    address: string;
    link: string;
    expiresAt: Date;
    inviter: { tid: string; oid: string };
  },
): Promise<void> {
  const address = normalizeAddress(invitation.address);
  const [inviter, preference] = await Promise.all([
    tx.user.findUnique({
      where: { tid_oid: { tid: invitation.inviter.tid, oid: invitation.inviter.oid } },
      select: { name: true, locale: true },
    }),
    tx.notificationPreference.findUnique({ where: { addressHash: addressHash(address) }, select: { locale: true } }),
  ]);
  const locale = isLocale(preference?.locale) ? preference.locale : isLocale(inviter?.locale) ? inviter.locale : "en";
  await queueNotifications(tx, [
    {
      kind: "colleague_invitation",
      cause: `invite:${invitation.inviteId}`,
      channel: "email",
      recipient: address,
      locale,
      subscriptionId: invitation.subscription.id,
      sealedLink: sealLink(invitation.link),
      data: {
        ...subscriptionFactsOf(invitation.subscription),
        inviterName: inviter?.name ? headerText(inviter.name, 120) : null,
        expiresAt: invitation.expiresAt.toISOString(),
      },
    },
  ]);
}
