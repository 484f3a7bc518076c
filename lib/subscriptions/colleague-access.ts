import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError } from "../errors";
import { findAccessibleSubscription } from "./find-own-subscription";
import { canManagePeople, mayAcceptInvite } from "./ownership";

/**
 * Colleagues' access to a subscription (docs/decisions/0003). A party or a tenant admin creates a
 * single-use invitation link; a colleague of the customer's organisation opens it signed in and
 * is recorded by tenant id + object id. The link's secret is shown once and only its hash is
 * stored, so a database reader cannot use pending invitations.
 */
export const INVITE_VALIDITY_DAYS = 7;
const MAX_OPEN_INVITES = 20;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const isWellFormedToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

function actorAudit(actor: Actor) {
  return { actorType: "user" as const, actorTid: actor.tid, actorOid: actor.oid };
}

async function requirePeopleManager(subscriptionId: string, actor: Actor) {
  const found = await findAccessibleSubscription({ subscriptionId, actor });
  if (!found) throw new AppError("not_owner");
  if (!canManagePeople(found.access)) throw new AppError("people_not_allowed");
  return found.subscription;
}

/** A new invitation link (the secret is returned once, never stored). */
export async function createInvite(options: { subscriptionId: string; actor: Actor; now?: Date }) {
  const subscription = await requirePeopleManager(options.subscriptionId, options.actor);
  if (subscription.status === "Unsubscribed") throw new AppError("change_not_allowed", { message: "This subscription is cancelled: there is nothing to give access to." });
  const now = options.now ?? new Date();
  const open = await db().subscriptionInvite.count({ where: { subscriptionId: subscription.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } });
  if (open >= MAX_OPEN_INVITES) throw new AppError("change_not_allowed", { message: `There are already ${MAX_OPEN_INVITES} open invitations. Withdraw some before creating more.` });

  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITE_VALIDITY_DAYS * 86_400_000);
  const invite = await db().$transaction(async (tx) => {
    const created = await tx.subscriptionInvite.create({
      data: { subscriptionId: subscription.id, tokenHash: hashToken(token), createdByTid: options.actor.tid, createdByOid: options.actor.oid, expiresAt },
    });
    await tx.auditEvent.create({ data: { subscriptionId: subscription.id, ...actorAudit(options.actor), action: "invite_created", detail: { inviteId: created.id, expiresAt: expiresAt.toISOString() } } });
    return created;
  });
  return { inviteId: invite.id, token, expiresAt };
}

type InviteState = "valid" | "used" | "revoked" | "expired";

function inviteState(invite: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now: Date): InviteState {
  if (invite.acceptedAt) return "used";
  if (invite.revokedAt) return "revoked";
  return invite.expiresAt <= now ? "expired" : "valid";
}

/** What the invitation page shows before the colleague accepts. Unknown and unusable links look the same. */
export async function describeInvite(options: { token: string; actor: Actor; now?: Date }) {
  const now = options.now ?? new Date();
  if (!isWellFormedToken(options.token)) throw new AppError("invite_invalid");
  const invite = await db().subscriptionInvite.findUnique({ where: { tokenHash: hashToken(options.token) }, include: { subscription: true } });
  if (!invite || inviteState(invite, now) !== "valid") throw new AppError("invite_invalid");
  const { subscription } = invite;
  if (!mayAcceptInvite(options.actor, subscription)) throw new AppError("invite_wrong_tenant");
  const existing = await findAccessibleSubscription({ subscriptionId: subscription.id, actor: options.actor });
  const inviter = await db().user.findUnique({ where: { tid_oid: { tid: invite.createdByTid, oid: invite.createdByOid } }, select: { name: true } });
  return {
    subscriptionId: subscription.id,
    subscriptionName: subscription.name,
    offerId: subscription.offerId,
    invitedBy: inviter?.name ?? null,
    expiresAt: invite.expiresAt,
    alreadyHasAccess: existing !== null,
  };
}

/**
 * Redeems an invitation for the signed-in user: single use (the first redemption wins, a
 * concurrent second one finds it used), only for the customer's organisation, and audited.
 * Someone who already has access keeps the link unused for the colleague it was meant for.
 */
export async function acceptInvite(options: { token: string; actor: Actor; now?: Date }) {
  const view = await describeInvite(options);
  if (view.alreadyHasAccess) return { subscriptionId: view.subscriptionId, added: false };
  const now = options.now ?? new Date();
  const tid = options.actor.tid.toLowerCase();
  const oid = options.actor.oid.toLowerCase();
  await db().$transaction(async (tx) => {
    const claimed = await tx.subscriptionInvite.updateMany({
      where: { tokenHash: hashToken(options.token), acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now, acceptedByTid: tid, acceptedByOid: oid },
    });
    if (claimed.count !== 1) throw new AppError("invite_invalid");
    const invite = await tx.subscriptionInvite.findUniqueOrThrow({ where: { tokenHash: hashToken(options.token) } });
    await tx.subscriptionMember.upsert({
      where: { subscriptionId_tenantId_userOid: { subscriptionId: invite.subscriptionId, tenantId: tid, userOid: oid } },
      create: { subscriptionId: invite.subscriptionId, tenantId: tid, userOid: oid, invitedByTid: invite.createdByTid, invitedByOid: invite.createdByOid, inviteId: invite.id },
      update: {},
    });
    await tx.auditEvent.create({ data: { subscriptionId: invite.subscriptionId, ...actorAudit(options.actor), action: "colleague_added", detail: { inviteId: invite.id, invitedByOid: invite.createdByOid } } });
  });
  return { subscriptionId: view.subscriptionId, added: true };
}

/** Withdraws an invitation that has not been used yet. */
export async function revokeInvite(options: { subscriptionId: string; inviteId: string; actor: Actor }) {
  const subscription = await requirePeopleManager(options.subscriptionId, options.actor);
  await db().$transaction(async (tx) => {
    const revoked = await tx.subscriptionInvite.updateMany({ where: { id: options.inviteId, subscriptionId: subscription.id, acceptedAt: null, revokedAt: null }, data: { revokedAt: new Date() } });
    if (revoked.count !== 1) throw new AppError("invite_invalid", { message: "This invitation was already used or withdrawn." });
    await tx.auditEvent.create({ data: { subscriptionId: subscription.id, ...actorAudit(options.actor), action: "invite_revoked", detail: { inviteId: options.inviteId } } });
  });
}

/** Takes a colleague's access away (parties and tenant admins keep theirs: it does not come from an invitation). */
export async function removeColleague(options: { subscriptionId: string; tenantId: string; userOid: string; actor: Actor }) {
  const subscription = await requirePeopleManager(options.subscriptionId, options.actor);
  await db().$transaction(async (tx) => {
    const removed = await tx.subscriptionMember.deleteMany({ where: { subscriptionId: subscription.id, tenantId: options.tenantId.toLowerCase(), userOid: options.userOid.toLowerCase() } });
    if (removed.count !== 1) throw new AppError("invalid_input", { message: "This person has no invited access to remove." });
    await tx.auditEvent.create({ data: { subscriptionId: subscription.id, ...actorAudit(options.actor), action: "colleague_removed", detail: { tenantId: options.tenantId, userOid: options.userOid } } });
  });
}

/** Colleagues with access and open invitations, for the people section (names from their last sign-in, for display only). */
export async function listPeople(options: { subscriptionId: string; now?: Date }) {
  const now = options.now ?? new Date();
  const [members, invites] = await Promise.all([
    db().subscriptionMember.findMany({ where: { subscriptionId: options.subscriptionId }, orderBy: { createdAt: "asc" } }),
    db().subscriptionInvite.findMany({ where: { subscriptionId: options.subscriptionId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" }, select: { id: true, expiresAt: true, createdAt: true } }),
  ]);
  const users = members.length
    ? await db().user.findMany({ where: { OR: members.map((member) => ({ tid: member.tenantId, oid: member.userOid })) }, select: { tid: true, oid: true, name: true, email: true } })
    : [];
  const byId = new Map(users.map((user) => [`${user.tid}:${user.oid}`, user]));
  return {
    colleagues: members.map((member) => {
      const user = byId.get(`${member.tenantId}:${member.userOid}`);
      return { tenantId: member.tenantId, userOid: member.userOid, name: user?.name ?? null, email: user?.email ?? null, since: member.createdAt };
    }),
    invites,
  };
}
