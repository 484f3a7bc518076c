import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "./current-user";

const session = vi.hoisted(() => ({ actor: null as Actor | null, requestHeaders: new Headers() }));
vi.mock("./current-user", () => ({ currentUser: async () => session.actor }));
vi.mock("next/headers", () => ({ headers: async () => session.requestHeaders }));

const { requireBuyer } = await import("./require-buyer");

/** Where requireBuyer sent the visitor: the target of the redirect it threw. */
async function redirectTarget(): Promise<string> {
  const error: unknown = await requireBuyer().then(
    () => new Error("no redirect"),
    (thrown: unknown) => thrown,
  );
  const digest = (error as { digest?: unknown }).digest;
  if (typeof digest !== "string" || !digest.startsWith("NEXT_REDIRECT")) throw error;
  return digest.split(";")[2] ?? "";
}

describe("requireBuyer", () => {
  beforeEach(() => {
    session.actor = null;
    session.requestHeaders = new Headers();
  });

  it("returns the signed-in customer", async () => {
    session.actor = { tid: "t", oid: "o", roles: [] };
    await expect(requireBuyer()).resolves.toEqual(session.actor);
  });

  it("sends a signed-out visitor to sign in and back to the URL they asked for, an invitation's token included", async () => {
    session.requestHeaders.set("x-portal-return-path", "/account/invitations/Ab_9-x");
    expect(await redirectTarget()).toBe("/signin?callbackUrl=%2Faccount%2Finvitations%2FAb_9-x");
    session.requestHeaders.set("x-portal-return-path", "/landing/activated?subscription=s-1");
    expect(await redirectTarget()).toBe("/signin?callbackUrl=%2Flanding%2Factivated%3Fsubscription%3Ds-1");
  });

  it("comes back to /account when the URL is unknown or not on this site", async () => {
    expect(await redirectTarget()).toBe("/signin?callbackUrl=%2Faccount");
    session.requestHeaders.set("x-portal-return-path", "//evil.example/account");
    expect(await redirectTarget()).toBe("/signin?callbackUrl=%2Faccount");
  });
});
