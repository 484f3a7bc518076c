/**
 * GET/POST /{tenant|common}/oauth2/v2.0/logout. Like Entra, signing out ends the browser's
 * session for every tenant at once (the sandbox session and each tenant Provider's cookies),
 * then returns to post_logout_redirect_uri when it is registered for an app, or shows a
 * "signed out" page. Entra asks which account to sign out of; the sandbox has only one.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeJwt } from "jose";
import { redirect, requestUrl, sendHtml } from "../http";
import type { DirectoryLookup } from "./directory-lookup";
import { readFormBody } from "./entra-http";
import { renderSignedOutPage } from "./sign-in-page";
import type { SsoSessions } from "./sso-sessions";
import { tenantCookieNames } from "./tenant-provider";

function clientIdFromIdTokenHint(hint: string | undefined): string | undefined {
  if (!hint) return undefined;
  try {
    const { aud } = decodeJwt(hint);
    return typeof aud === "string" ? aud : undefined;
  } catch {
    return undefined;
  }
}

export function createLogoutHandler(directory: DirectoryLookup, sso: SsoSessions) {
  const expiredCookies = (): string[] =>
    directory.tenants.flatMap((tenant) => {
      const { session } = tenantCookieNames(tenant.id);
      // oidc-provider signs its cookies: each has a `.sig` companion.
      return [session, `${session}.sig`].map((name) => `${name}=; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=0`);
    });

  function allowedRedirect(uri: string | undefined, clientId: string | undefined): boolean {
    if (!uri) return false;
    const apps = clientId ? [directory.app(clientId)].filter((a) => a !== undefined) : allApps();
    return apps.some(
      (app) => directory.postLogoutRedirectUris(app).includes(uri) || directory.redirectUris(app).includes(uri),
    );
  }

  function allApps() {
    const seen = new Map<string, NonNullable<ReturnType<DirectoryLookup["app"]>>>();
    for (const tenant of directory.tenants)
      for (const app of directory.signInAppsOf(tenant.id)) seen.set(app.clientId, app);
    return [...seen.values()];
  }

  return async function logout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = Object.fromEntries(requestUrl(req).searchParams);
    if (req.method === "POST") Object.assign(params, (await readFormBody(req)).form);

    const cookies = [sso.end(req), ...expiredCookies()];
    const target = params.post_logout_redirect_uri;
    const clientId = params.client_id ?? clientIdFromIdTokenHint(params.id_token_hint);
    if (target && allowedRedirect(target, clientId)) {
      const url = new URL(target);
      if (params.state) url.searchParams.set("state", params.state);
      return redirect(res, url.href, { "set-cookie": cookies });
    }
    sendHtml(res, 200, renderSignedOutPage(), { "set-cookie": cookies });
  };
}
