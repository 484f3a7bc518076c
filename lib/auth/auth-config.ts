import "server-only";
import type { NextAuthConfig } from "next-auth";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { authEnv } from "../env";
import { recordSignIn } from "./record-sign-in";
import { TENANT_PROVIDER_ID, tenantIssuer } from "./sign-in-tenant";

interface EntraIdTokenClaims {
  tid?: unknown;
  oid?: unknown;
  sub?: unknown;
  name?: unknown;
  email?: unknown;
  preferred_username?: unknown;
  roles?: unknown;
  /** Directory role template ids (Entra's optional `wids` claim: groupMembershipClaims "DirectoryRole" or "All"). */
  wids?: unknown;
}

const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);
const strings = (value: unknown) =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

// The built-in profile() fetches a photo from Microsoft Graph; we only need the id token.
function profile(claims: EntraIdTokenClaims) {
  const tid = text(claims.tid)?.toLowerCase();
  const oid = text(claims.oid)?.toLowerCase();
  if (!tid || !oid) throw new Error("The id token has no tid/oid claims");
  return {
    id: `${tid}:${oid}`,
    tid,
    oid,
    name: text(claims.name) ?? null,
    email: text(claims.email) ?? text(claims.preferred_username) ?? null,
    roles: strings(claims.roles),
    directoryRoles: strings(claims.wids).map((role) => role.toLowerCase()),
  };
}

/**
 * next-auth's configuration. `signInTenant`: a tenant id (GUID) to offer a second provider for,
 * which signs in through that tenant's own issuer (lib/auth/sign-in-tenant.ts); the session then
 * carries the tid/oid of that tenant. The /common provider and its issuer check stay as they are.
 */
export function authConfig(options: { signInTenant?: string | null } = {}): NextAuthConfig {
  const env = authEnv();
  const entra = (id: string, issuer: string) =>
    MicrosoftEntraID({
      id,
      clientId: env.AUTH_MICROSOFT_ENTRA_ID_ID,
      clientSecret: env.AUTH_MICROSOFT_ENTRA_ID_SECRET,
      issuer,
      client: { token_endpoint_auth_method: "client_secret_post" },
      // Only User.Read: the landing page must not ask for admin-consent scopes (marketplace-contract.md §4.4).
      authorization: { params: { scope: "openid profile email User.Read" } },
      profile,
    });
  const issuer = options.signInTenant ? tenantIssuer(env.AUTH_MICROSOFT_ENTRA_ID_ISSUER, options.signInTenant) : null;

  return {
    secret: env.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      entra("microsoft-entra-id", env.AUTH_MICROSOFT_ENTRA_ID_ISSUER),
      ...(issuer ? [entra(TENANT_PROVIDER_ID, issuer)] : []),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.tid = user.tid;
          token.oid = user.oid;
          token.roles = user.roles ?? [];
          token.directoryRoles = user.directoryRoles ?? [];
        }
        return token;
      },
      session({ session, token }) {
        if (token.tid && token.oid) {
          session.user.tid = token.tid;
          session.user.oid = token.oid;
          session.user.roles = token.roles ?? [];
          session.user.directoryRoles = token.directoryRoles ?? [];
        }
        return session;
      },
    },
    events: {
      async signIn({ user }) {
        if (user.tid && user.oid)
          await recordSignIn({ tid: user.tid, oid: user.oid, name: user.name ?? null, email: user.email ?? null });
      },
    },
  };
}
