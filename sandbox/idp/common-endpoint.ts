/**
 * The tenant-independent endpoints /common and /organizations, used by multi-tenant apps such as
 * the portal's sign-in (next-auth's microsoft-entra-id provider):
 *  - GET  /common/oauth2/v2.0/authorize: the sign-in page (or straight on, with a sandbox session);
 *  - POST /common/login: checks the form, then continues the *same* authorization request at the
 *    user's tenant (`/{tid}/oauth2/v2.0/authorize?...&login_hint=email`), as Entra does, so the
 *    id_token's issuer is `${baseUrl}/{tid}/v2.0`;
 *  - POST /common/oauth2/v2.0/token: redeems codes and refresh tokens of any tenant (next-auth
 *    posts there, because /common's discovery lists it), by handing them to the issuing tenant.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { redirect, replayRequest, requestUrl, sendHtml, sendJson } from "../http";
import type { Tenant } from "../types";
import type { ArtifactStore } from "./artifact-store";
import {
  checkMultiTenantAuthorizationRequest,
  tenantAuthorizeLocation,
  type AuthorizationRequestCheck,
} from "./authorization-request";
import { checkSignIn } from "./credentials";
import type { DirectoryLookup } from "./directory-lookup";
import type { EntraErrorCatalog } from "./entra-errors";
import type { EntraUrls, MultiTenantSegment } from "./entra-urls";
import { ACCEPT_JSON, NO_STORE, readFormBody } from "./entra-http";
import { renderErrorPage, renderSignInPage } from "./sign-in-page";
import type { SsoSessions } from "./sso-sessions";
import type { TenantProvider } from "./tenant-provider";

export interface CommonEndpointDeps {
  directory: DirectoryLookup;
  urls: EntraUrls;
  errors: EntraErrorCatalog;
  sso: SsoSessions;
  store: ArtifactStore;
  tenantsById: Map<string, Tenant>;
  tenantProviders: Map<string, TenantProvider>;
}

type FailedCheck = Extract<AuthorizationRequestCheck, { ok: false }>;

function sendRequestError(res: ServerResponse, failed: FailedCheck): void {
  sendHtml(
    res,
    400,
    renderErrorPage("Sorry, but we're having trouble signing you in.", `AADSTS${failed.code}: ${failed.message}`),
  );
}

export function createCommonEndpoint(deps: CommonEndpointDeps) {
  const { directory, urls, errors, sso, store, tenantsById, tenantProviders } = deps;
  const tids = [...tenantProviders.keys()];

  function showForm(
    res: ServerResponse,
    segment: MultiTenantSegment,
    request: URLSearchParams,
    status: number,
    appName: string,
    email?: string,
    error?: string,
  ) {
    sendHtml(
      res,
      status,
      renderSignInPage({
        action: urls.commonLogin(segment),
        hiddenFields: { request: request.toString() },
        appName,
        email,
        error,
        accounts: directory.signInIdentities(),
        tenantsById,
        otherTenantsOf: (identity) => directory.otherTenantsOf(identity),
      }),
    );
  }

  async function authorize(segment: MultiTenantSegment, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = requestUrl(req).searchParams;
    const check = checkMultiTenantAuthorizationRequest(directory, params);
    if (!check.ok) return sendRequestError(res, check);

    const current = sso.current(req);
    const reauthenticate = check.prompts.has("login") || check.prompts.has("select_account");
    if (current && !reauthenticate) return redirect(res, tenantAuthorizeLocation(current.tid, params, current.email));

    if (check.prompts.has("none")) {
      // Silent request and nobody signed in: Entra answers the app with login_required.
      const target = new URL(check.redirectUri);
      target.searchParams.set("error", "login_required");
      target.searchParams.set(
        "error_description",
        "AADSTS50058: A silent sign-in request was sent but no user is signed in.",
      );
      if (check.state !== undefined) target.searchParams.set("state", check.state);
      return redirect(res, target.href);
    }
    showForm(res, segment, params, 200, check.app.name, params.get("login_hint") ?? undefined);
  }

  async function login(segment: MultiTenantSegment, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { form } = await readFormBody(req);
    const request = new URLSearchParams(form.request ?? "");
    const check = checkMultiTenantAuthorizationRequest(directory, request);
    if (!check.ok) return sendRequestError(res, check);

    const result = checkSignIn(directory, form);
    if (!result.ok) return showForm(res, segment, request, 400, check.app.name, result.email, result.error);
    // Like Entra, /common signs the account in to its own tenant (a personal account: the tenant of
    // personal accounts), never to another tenant it is a member of.
    const { identity } = result;
    redirect(
      res,
      tenantAuthorizeLocation(identity.tid, request, identity.email),
      { "set-cookie": sso.start(identity) },
      303,
    );
  }

  async function token(segment: MultiTenantSegment, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { raw, form } = await readFormBody(req);
    const grantType = form.grant_type;
    const fail = (error: { status: number; body: unknown }) => sendJson(res, error.status, error.body, NO_STORE);
    if (!grantType) return fail(errors.missingParameter("grant_type"));

    let tid: string | undefined;
    if (grantType === "authorization_code" && form.code) tid = store.tenantOf("AuthorizationCode", form.code, tids);
    else if (grantType === "refresh_token" && form.refresh_token)
      tid = store.tenantOf("RefreshToken", form.refresh_token, tids);
    else if (grantType === "client_credentials") return fail(errors.tenantRequired(segment));
    else if (grantType !== "authorization_code" && grantType !== "refresh_token")
      return fail(errors.unsupportedGrantType(grantType));

    const tenantProvider = tid ? tenantProviders.get(tid) : undefined;
    if (!tenantProvider) return fail(errors.invalidGrant());
    await tenantProvider.forward(replayRequest(req, raw, ACCEPT_JSON), res, "/oauth2/v2.0/token");
  }

  return { authorize, login, token };
}
export type CommonEndpoint = ReturnType<typeof createCommonEndpoint>;
