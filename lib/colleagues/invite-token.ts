import { createHash, randomBytes } from "node:crypto";

/**
 * The secret of an invitation link: 32 random bytes, base64url. Only its SHA-256 is stored, so a
 * database reader cannot use pending invitations.
 */
export function newInviteToken(): string {
  return randomBytes(32).toString("base64url");
}

export const hashInviteToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const isWellFormedInviteToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

export const INVITE_VALIDITY_DAYS = 7;

/** The link a colleague opens to accept an invitation (the account page that redeems it). */
export const invitationUrl = (token: string, baseUrl: string) =>
  new URL(`/account/invitations/${token}`, baseUrl).toString();

export type InviteState = "valid" | "used" | "revoked" | "expired";

export function inviteState(
  invite: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now: Date,
): InviteState {
  if (invite.acceptedAt) return "used";
  if (invite.revokedAt) return "revoked";
  return invite.expiresAt <= now ? "expired" : "valid";
}
