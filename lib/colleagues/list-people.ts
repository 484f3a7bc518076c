import "server-only";
import { db } from "../db";

/** Colleagues with access and open invitations, for the people section (names from their last sign-in, for display only). */
export async function listPeople(options: { subscriptionId: string; now?: Date }) {
  const now = options.now ?? new Date();
  const [members, invites] = await Promise.all([
    db().subscriptionMember.findMany({
      where: { subscriptionId: options.subscriptionId },
      orderBy: { createdAt: "asc" },
    }),
    db().subscriptionInvite.findMany({
      where: { subscriptionId: options.subscriptionId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: "desc" },
      select: { id: true, expiresAt: true, createdAt: true },
    }),
  ]);
  const users = members.length
    ? await db().user.findMany({
        where: { OR: members.map((member) => ({ tid: member.tenantId, oid: member.userOid })) },
        select: { tid: true, oid: true, name: true, email: true },
      })
    : [];
  const byId = new Map(users.map((user) => [`${user.tid}:${user.oid}`, user]));
  return {
    colleagues: members.map((member) => {
      const user = byId.get(`${member.tenantId}:${member.userOid}`);
      return {
        tenantId: member.tenantId,
        userOid: member.userOid,
        name: user?.name ?? null,
        email: user?.email ?? null,
        since: member.createdAt,
      };
    }),
    invites,
  };
}
