/**
 * Sign-in to one named Entra tenant (`…/{tenantId}/v2.0` instead of `…/common/v2.0`), for a buyer
 * whose purchase names a tenant other than the one /common signed them in to — above all a
 * personal Microsoft account, which /common signs in to the tenant of personal accounts while the
 * purchase names the tenant Azure created for it (marketplace-contract.md §4.4).
 *
 * The authorize request and the callback must use the same issuer, and they are separate HTTP
 * requests: the tenant id travels in a short-lived cookie, scoped to the callback path and
 * signed with AUTH_SECRET. Only a GUID is ever accepted, so the issuer is always the configured
 * Entra host with a tenant id in it, never a URL from the request.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** next-auth provider id of the tenant sign-in; its callback path is a registered redirect URI. */
export const TENANT_PROVIDER_ID = "microsoft-entra-id-tenant";
export const TENANT_CALLBACK_PATH = `/api/auth/callback/${TENANT_PROVIDER_ID}`;
export const SIGN_IN_TENANT_COOKIE = "portal-signin-tenant";
/** As long as next-auth's own state and PKCE cookies live. */
export const SIGN_IN_TENANT_TTL_SECONDS = 15 * 60;

const tenantId = z.guid().transform((id) => id.toLowerCase());

/** The tenant id as a lower-case GUID, or null for anything else. */
export function parseTenantId(value: unknown): string | null {
  const parsed = tenantId.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(`portal sign-in tenant\n${payload}`).digest();
}

/** The cookie value naming `tenant` until `now` + TTL. Throws for a tenant id that is not a GUID. */
export function sealSignInTenant(tenant: string, secret: string, now = new Date()): string {
  const tid = parseTenantId(tenant);
  if (!tid) throw new Error("The tenant to sign in to must be a GUID");
  const payload = `${tid}.${Math.floor(now.getTime() / 1000) + SIGN_IN_TENANT_TTL_SECONDS}`;
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

/** The tenant id a cookie value names, or null when it is missing, malformed, forged or expired. */
export function openSignInTenant(value: string | undefined, secret: string, now = new Date()): string | null {
  const [tid, expires, signature, ...rest] = (value ?? "").split(".");
  if (!tid || !expires || !signature || rest.length > 0 || !/^\d{1,12}$/.test(expires)) return null;
  const expected = mac(secret, `${tid}.${expires}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const secondsLeft = Number(expires) - Math.floor(now.getTime() / 1000);
  if (secondsLeft <= 0 || secondsLeft > SIGN_IN_TENANT_TTL_SECONDS) return null;
  return parseTenantId(tid);
}

/**
 * The issuer of one tenant on the same Entra host as the multi-tenant issuer
 * (`https://login.microsoftonline.com/common/v2.0` → `https://login.microsoftonline.com/{tid}/v2.0`),
 * or null when the configured issuer does not have that shape or `tenant` is not a GUID.
 */
export function tenantIssuer(multiTenantIssuer: string, tenant: string): string | null {
  const tid = parseTenantId(tenant);
  const match = multiTenantIssuer.match(/^(https:\/\/[^/?#]+(?:\/[^/?#]+)*?)\/[^/?#]+\/v2\.0\/?$/);
  return tid && match ? `${match[1]}/${tid}/v2.0` : null;
}
