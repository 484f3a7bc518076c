/**
 * The sandbox's browser sign-in session, the stand-in for Entra's ESTSAUTH cookie: one session
 * per browser across all tenants. The /common sign-in page creates it; each tenant's
 * oidc-provider then accepts it instead of asking for the password again, and only while it
 * names the same user as that Provider's own session (so signing out, or signing in as someone
 * else, takes effect everywhere, as in Entra).
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { parseCookies } from "../http";

export const SSO_COOKIE = "sandbox_sso";
const SSO_TTL_MS = 12 * 60 * 60 * 1000;

export interface SsoSession {
  tid: string;
  oid: string;
  email: string;
  /** Epoch seconds. */
  authTime: number;
}

export class SsoSessions {
  readonly #sessions = new Map<string, SsoSession & { expiresAt: number }>();

  /** Starts a session and returns the Set-Cookie header value. */
  start(user: { tid: string; oid: string; email: string }): string {
    this.#prune();
    const id = randomBytes(32).toString("base64url");
    this.#sessions.set(id, {
      tid: user.tid,
      oid: user.oid,
      email: user.email,
      authTime: Math.floor(Date.now() / 1000),
      expiresAt: Date.now() + SSO_TTL_MS,
    });
    // Session cookie (no Max-Age), like ESTSAUTH. Lax: the portal reaches us by top-level redirects.
    return `${SSO_COOKIE}=${id}; Path=/; HttpOnly; Secure; SameSite=Lax`;
  }

  current(req: IncomingMessage): SsoSession | undefined {
    const id = parseCookies(req).get(SSO_COOKIE);
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session || session.expiresAt <= Date.now()) return undefined;
    return { tid: session.tid, oid: session.oid, email: session.email, authTime: session.authTime };
  }

  /** Ends the session named by the request's cookie and returns the clearing Set-Cookie value. */
  end(req: IncomingMessage): string {
    const id = parseCookies(req).get(SSO_COOKIE);
    if (id) this.#sessions.delete(id);
    return `${SSO_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
  }

  #prune(): void {
    const now = Date.now();
    for (const [id, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(id);
  }
}
