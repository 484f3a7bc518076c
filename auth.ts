/**
 * Buyer sign-in: next-auth v5 with Microsoft Entra ID, multi-tenant (`/common`), so people from
 * any customer tenant can sign in. The session carries the stable ids `tid` and `oid`; the
 * portal authorizes by them, never by email. A second provider signs in to one named tenant,
 * when a purchase names a tenant other than the one /common chose (lib/auth/sign-in-tenant.ts).
 */
import { cookies } from "next/headers";
import type { NextRequest } from "next/server";
import NextAuth, { type DefaultSession } from "next-auth";
import { authConfig } from "@/lib/auth/auth-config";
import {
  openSignInTenant,
  sealSignInTenant,
  SIGN_IN_TENANT_COOKIE,
  SIGN_IN_TENANT_TTL_SECONDS,
  TENANT_CALLBACK_PATH,
  TENANT_PROVIDER_ID,
} from "@/lib/auth/sign-in-tenant";
import { authEnv, portalEnv } from "@/lib/env";

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

/** The tenant named by the request's sign-in-tenant cookie (sent only to the tenant callback). */
function signInTenantOf(request: NextRequest | undefined): string | null {
  return openSignInTenant(request?.cookies.get(SIGN_IN_TENANT_COOKIE)?.value, authEnv().AUTH_SECRET);
}

const nextAuth = NextAuth((request) => authConfig({ signInTenant: signInTenantOf(request) }));
export const { auth, signIn, signOut } = nextAuth;

/**
 * A tenant callback without a valid cookie (expired, forged, or from another browser) has no
 * provider to finish it; say so instead of next-auth's "configuration problem".
 */
async function handle(request: NextRequest): Promise<Response> {
  if (request.nextUrl.pathname === TENANT_CALLBACK_PATH && !signInTenantOf(request)) {
    return Response.redirect(new URL("/signin?error=TenantSignIn", request.nextUrl), 303);
  }
  return request.method === "POST" ? nextAuth.handlers.POST(request) : nextAuth.handlers.GET(request);
}
export const handlers = { GET: handle, POST: handle };

/**
 * Signs in through `tenantId`'s own issuer and returns to `redirectTo` (a same-site path). The
 * tenant id must be a GUID; it is kept for the callback in a signed cookie.
 */
export async function signInToTenant(tenantId: string, redirectTo: string): Promise<never> {
  const sealed = sealSignInTenant(tenantId, authEnv().AUTH_SECRET);
  (await cookies()).set(SIGN_IN_TENANT_COOKIE, sealed, {
    httpOnly: true,
    // Lax: Entra returns to the callback with a top-level GET redirect.
    sameSite: "lax",
    secure: new URL(portalEnv().PUBLIC_BASE_URL).protocol === "https:",
    path: TENANT_CALLBACK_PATH,
    maxAge: SIGN_IN_TENANT_TTL_SECONDS,
  });
  // signIn() of the lazy configuration has no request to read the cookie from: this instance is
  // configured with the tenant directly, with the same settings and secret.
  await NextAuth(authConfig({ signInTenant: tenantId })).signIn(TENANT_PROVIDER_ID, { redirectTo });
  throw new Error("signIn did not redirect");
}
