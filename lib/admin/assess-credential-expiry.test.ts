import { describe, expect, it } from "vitest";
import { assessCredentialExpiry, CREDENTIAL_WARNING_DAYS } from "./assess-credential-expiry";

const now = new Date("2026-11-25T12:00:00Z");
const at = (days: number, hours = 0) => new Date(now.getTime() + days * 86_400_000 + hours * 3_600_000);
const assess = (expiresAt: Date) =>
  assessCredentialExpiry({ what: "The client secret", expiresAt, now, renew: "Create a new one." });

describe("assessCredentialExpiry", () => {
  it("is ok more than 30 days ahead, naming the date", () => {
    expect(assess(new Date("2027-03-31T00:00:00Z"))).toEqual({
      status: "ok",
      message: "The client secret is valid until 31 March 2027.",
      expiresAt: "2027-03-31T00:00:00.000Z",
      daysLeft: 126,
    });
    expect(assess(at(CREDENTIAL_WARNING_DAYS, 1)).status).toBe("ok");
  });

  it("warns from 30 days ahead, saying when (in calendar days, as the date shown) and what to do", () => {
    expect(assess(at(30))).toMatchObject({
      status: "warn",
      daysLeft: 30,
      message: "The client secret expires on 25 December 2026, in 30 days. Create a new one.",
    });
    expect(assess(at(1, 3))).toMatchObject({ status: "warn", message: expect.stringContaining(", tomorrow.") });
    expect(assess(at(0, 5))).toMatchObject({
      status: "warn",
      daysLeft: 0,
      message: expect.stringContaining(", today."),
    });
  });

  it("fails once the date has passed, with the reason and the way forward", () => {
    expect(assess(now)).toMatchObject({ status: "error", daysLeft: 0 });
    expect(assess(at(-3, -1))).toEqual({
      status: "error",
      expiresAt: at(-3, -1).toISOString(),
      daysLeft: -3,
      message:
        "The client secret expired on 22 November 2026 (3 days ago): Entra ID refuses it, so the portal cannot call Microsoft. Create a new one.",
    });
    expect(assess(at(-1)).message).toContain("(1 day ago)");
    expect(assess(at(0, -2)).message).toMatch(/^The client secret expired on 25 November 2026: /);
  });
});
