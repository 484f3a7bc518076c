import "server-only";
import { authEnv, portalEnv } from "../env";

/**
 * Entra's end-session endpoint for the sign-in app's issuer (`…/common/v2.0` →
 * `…/common/oauth2/v2.0/logout`), returning to the portal's home page. Signing out of the portal
 * alone would let Entra sign the same account in again silently on the next visit.
 * `https://<portal>/` must be a registered redirect URI of the sign-in app.
 */
export function entraSignOutUrl(): string {
  const { AUTH_MICROSOFT_ENTRA_ID_ISSUER: issuer, AUTH_MICROSOFT_ENTRA_ID_ID: clientId } = authEnv();
  const url = new URL(`${issuer.replace(/\/v2\.0\/?$/, "")}/oauth2/v2.0/logout`);
  url.searchParams.set("post_logout_redirect_uri", new URL("/", portalEnv().PUBLIC_BASE_URL).href);
  url.searchParams.set("client_id", clientId);
  return url.href;
}
