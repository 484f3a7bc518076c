/**
 * Checks on an authorization request made to /common (or /organizations) before the sandbox
 * shows its sign-in page, with Entra's error codes. A request that fails them is answered with
 * an error page, never with a redirect to an unverified redirect_uri.
 */
import { z } from "zod";
import type { DirectoryApp } from "../types";
import type { DirectoryLookup } from "./directory-lookup";

const authorizeParams = z.object({
  client_id: z.string().min(1).optional(),
  redirect_uri: z.string().min(1).optional(),
  prompt: z.string().optional(),
  state: z.string().optional(),
});

export type AuthorizationRequestCheck =
  | { ok: true; app: DirectoryApp; redirectUri: string; prompts: Set<string>; state?: string }
  | { ok: false; code: number; message: string };

export function checkMultiTenantAuthorizationRequest(
  directory: DirectoryLookup,
  params: URLSearchParams,
): AuthorizationRequestCheck {
  const parsed = authorizeParams.safeParse(Object.fromEntries(params));
  if (!parsed.success) return { ok: false, code: 90014, message: "The authorization request is malformed." };
  const { client_id: clientId, redirect_uri: requestedRedirectUri, prompt, state } = parsed.data;
  if (!clientId) {
    return { ok: false, code: 900144, message: "The request body must contain the following parameter: 'client_id'." };
  }
  const app = directory.app(clientId);
  if (!app) {
    return {
      ok: false,
      code: 700016,
      message: `Application with identifier '${clientId}' was not found in the directory. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    };
  }
  if (!app.multiTenant) {
    return {
      ok: false,
      code: 50194,
      message: `Application '${app.clientId}'(${app.name}) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications. Use a tenant-specific endpoint or configure the application to be multi-tenant.`,
    };
  }
  const registered = directory.redirectUris(app);
  const redirectUri = requestedRedirectUri ?? (registered.length === 1 ? registered[0] : undefined);
  if (!redirectUri) {
    return {
      ok: false,
      code: 500113,
      message: "No reply address is registered for the application, or none was sent.",
    };
  }
  if (!registered.includes(redirectUri)) {
    return {
      ok: false,
      code: 50011,
      message: `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application.`,
    };
  }
  return { ok: true, app, redirectUri, prompts: new Set((prompt ?? "").split(" ").filter(Boolean)), state };
}

/**
 * The same authorization request, continued at the user's own tenant (as Entra does after the
 * /common sign-in), so the id_token is issued by — and names — that tenant. The user has just
 * authenticated, so prompt=login/select_account/none are dropped (consent is kept), and
 * login_hint pins the account.
 */
export function tenantAuthorizeLocation(tid: string, original: URLSearchParams, email: string): string {
  const params = new URLSearchParams(original);
  const kept = (params.get("prompt") ?? "").split(" ").filter((p) => p === "consent");
  if (kept.length > 0) params.set("prompt", kept.join(" "));
  else params.delete("prompt");
  params.set("login_hint", email);
  return `/${tid}/oauth2/v2.0/authorize?${params.toString()}`;
}

/**
 * Adjusts a request to a tenant's own authorize endpoint for oidc-provider:
 *  - Entra issues refresh tokens for offline_access without prompt=consent; oidc-provider (per
 *    OIDC Core) drops offline_access unless consent is prompted, so prompt=consent is added (the
 *    consent step is automatic anyway);
 *  - Entra's prompt=select_account becomes prompt=login (the sandbox has no account picker).
 */
export function adaptTenantAuthorizeQuery(search: string): string {
  const params = new URLSearchParams(search);
  const prompts = new Set((params.get("prompt") ?? "").split(" ").filter(Boolean));
  if (prompts.delete("select_account")) prompts.add("login");
  const scopes = (params.get("scope") ?? "").split(" ");
  if (scopes.includes("offline_access") && !prompts.has("none")) prompts.add("consent");
  if (prompts.size > 0) params.set("prompt", [...prompts].join(" "));
  const query = params.toString();
  return query ? `?${query}` : "";
}
