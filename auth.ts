/**
 * Buyer sign-in: next-auth v5 with Microsoft Entra ID, multi-tenant (`/common`), so people from
 * any customer tenant can sign in. The session carries the stable ids `tid` and `oid`; the
 * portal authorizes by them, never by email.
 */
import NextAuth, { type DefaultSession } from "next-auth";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
import { authEnv } from "@/lib/env";
import { recordSignIn } from "@/lib/auth/record-sign-in";

declare module "next-auth" {
  interface Session {
    user: { tid: string; oid: string; roles: string[]; directoryRoles: string[] } & DefaultSession["user"];
  }
  interface User {
    tid?: string;
    oid?: string;
    roles?: string[];
    directoryRoles?: string[];
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    tid?: string;
    oid?: string;
    roles?: string[];
    directoryRoles?: string[];
  }
}

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
const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const env = authEnv();
  return {
    secret: env.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      MicrosoftEntraID({
        clientId: env.AUTH_MICROSOFT_ENTRA_ID_ID,
        clientSecret: env.AUTH_MICROSOFT_ENTRA_ID_SECRET,
        issuer: env.AUTH_MICROSOFT_ENTRA_ID_ISSUER,
        client: { token_endpoint_auth_method: "client_secret_post" },
        // Only User.Read: the landing page must not ask for admin-consent scopes (marketplace-api.md §4.4).
        authorization: { params: { scope: "openid profile email User.Read" } },
        // The built-in profile() fetches a photo from Microsoft Graph; we only need the id token.
        profile(claims: EntraIdTokenClaims) {
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
        },
      }),
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
        if (user.tid && user.oid) await recordSignIn({ tid: user.tid, oid: user.oid, name: user.name ?? null, email: user.email ?? null });
      },
    },
  };
});
