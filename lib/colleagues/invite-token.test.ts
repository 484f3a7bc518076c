import { describe, expect, it } from "vitest";
import { hashInviteToken, inviteState, isWellFormedInviteToken, newInviteToken } from "./invite-token";

describe("invite tokens", () => {
  it("are 32 random bytes in base64url, and only their SHA-256 is kept", () => {
    const [a, b] = [newInviteToken(), newInviteToken()];
    expect(isWellFormedInviteToken(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(hashInviteToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashInviteToken(a)).not.toContain(a);
  });

  it("refuses anything else before touching the database", () => {
    for (const token of ["", "short", `${newInviteToken()}=`, "a".repeat(44), "../".repeat(15), "é".repeat(43)])
      expect(isWellFormedInviteToken(token)).toBe(false);
  });

  it("has one state: used and withdrawn win over expiry; expiry is exclusive", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    const open = { acceptedAt: null, revokedAt: null, expiresAt: new Date("2026-11-25T12:00:01Z") };
    expect(inviteState(open, now)).toBe("valid");
    expect(inviteState({ ...open, expiresAt: now }, now)).toBe("expired");
    expect(inviteState({ ...open, acceptedAt: now, expiresAt: new Date(0) }, now)).toBe("used");
    expect(inviteState({ ...open, revokedAt: now }, now)).toBe("revoked");
  });
});
