/**
 * One oidc-provider instance per tenant: it runs the authorization-code + PKCE flow, issues
 * id_tokens with Entra's claims, and keeps its own sessions. The router mounts it under /{tid}
 * (oidc-provider derives its mount path from `req.originalUrl`), while its issuer is Entra's v2
 * form `${baseUrl}/{tid}/v2.0`. Discovery, keys, logout and the client-credentials grant are
 * served by our own handlers, so only the routes listed in `TENANT_PROVIDER_ROUTES` reach it.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import Provider, { interactionPolicy, type Account, type ClientMetadata, type KoaContextWithOIDC } from "oidc-provider";
import type { Tenant } from "../types";
import type { ArtifactStore } from "./artifact-store";
import type { DirectoryLookup } from "./directory-lookup";
import type { EntraErrorCatalog } from "./entra-errors";
import type { EntraUrls } from "./entra-urls";
import { renderErrorPage } from "./sign-in-page";
import type { SigningKey } from "./signing-key";
import type { SsoSessions } from "./sso-sessions";

/** Paths (below /{tid}) that oidc-provider serves. */
export const TENANT_PROVIDER_ROUTES = {
  authorization: "/oauth2/v2.0/authorize",
  token: "/oauth2/v2.0/token",
  userinfo: "/oidc/userinfo",
  // Never forwarded (we serve the keys ourselves), but oidc-provider needs a route for it.
  jwks: "/discovery/v2.0/keys",
} as const;

/**
 * Cookie names carry the tenant id: every tenant shares one origin (and, because cookies ignore
 * ports, the portal's localhost too), so the default `_session` names would collide.
 */
export function tenantCookieNames(tid: string) {
  return {
    session: `sandbox_session_${tid}`,
    interaction: `sandbox_interaction_${tid}`,
    resume: `sandbox_resume_${tid}`,
  };
}

const ONE_HOUR = 60 * 60;
const ONE_DAY = 24 * ONE_HOUR;

export interface TenantProviderDeps {
  tenant: Tenant;
  directory: DirectoryLookup;
  urls: EntraUrls;
  key: SigningKey;
  store: ArtifactStore;
  sso: SsoSessions;
  errors: EntraErrorCatalog;
}

export interface TenantProvider {
  tenant: Tenant;
  provider: Provider;
  /** Hands the request to oidc-provider; `innerUrl` is the path below /{tid} (with query). */
  forward(req: IncomingMessage, res: ServerResponse, innerUrl: string): Promise<void>;
}

/** Entra's `sub` is pairwise: stable for one user and one app, different across apps. */
function pairwiseSubject(tid: string, accountId: string, clientId: string): string {
  return createHash("sha256").update(`${tid}:${accountId}:${clientId}`).digest("base64url");
}

function isOAuthErrorBody(body: unknown): body is { error: string; error_description?: string } {
  return typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string";
}

function stripIssParameter(location: string, issuer: string): string {
  // Entra does not implement RFC 9207 (no `iss` in authorization responses). oidc-provider adds
  // one, and next-auth would compare it with /common's issuer and reject the response.
  try {
    const url = new URL(location);
    if (url.searchParams.get("iss") === issuer) url.searchParams.delete("iss");
    if (url.hash) {
      const fragment = new URLSearchParams(url.hash.slice(1));
      if (fragment.get("iss") === issuer) {
        fragment.delete("iss");
        url.hash = fragment.toString();
      }
    }
    return url.href;
  } catch {
    return location;
  }
}

export function createTenantProvider(deps: TenantProviderDeps): TenantProvider {
  const { tenant, directory, urls, key, store, sso, errors } = deps;
  const tid = tenant.id;

  const clients: ClientMetadata[] = directory.signInAppsOf(tid).map((app) => ({
    client_id: app.clientId,
    client_secret: app.clientSecret,
    client_name: app.name,
    redirect_uris: directory.redirectUris(app),
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    // Basic is accepted too: oidc-provider treats the two secret methods as interchangeable.
    token_endpoint_auth_method: "client_secret_post",
    subject_type: "pairwise",
  }));

  async function findAccount(_ctx: KoaContextWithOIDC, id: string): Promise<Account | undefined> {
    const user = directory.user(tid, id);
    if (!user) return undefined;
    return {
      accountId: user.oid,
      claims: () => ({
        sub: user.oid,
        tid,
        oid: user.oid,
        name: user.name,
        preferred_username: user.email,
        email: user.email,
        ver: "2.0",
        ...(user.roles.length > 0 ? { roles: user.roles } : {}),
        ...(user.directoryRoles?.length ? { wids: user.directoryRoles } : {}),
      }),
    };
  }

  // The browser-wide sandbox session (see sso-sessions.ts) must name the account whose user object
  // in this tenant holds this tenant's session, and match login_hint when one is given; otherwise
  // sign in again.
  const policy = interactionPolicy.base();
  policy.get("login")?.checks.add(
    new interactionPolicy.Check("sandbox_session_changed", "the sandbox sign-in session names another user", (ctx) => {
      const accountId = ctx.oidc.session.accountId;
      if (!accountId || ctx.oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const current = sso.current(ctx.req);
      if (!current || directory.accountIn(tid, current)?.oid !== accountId)
        return interactionPolicy.Check.REQUEST_PROMPT;
      const hint = ctx.oidc.params.login_hint;
      if (typeof hint === "string" && hint && hint.trim().toLowerCase() !== current.email.toLowerCase()) {
        return interactionPolicy.Check.REQUEST_PROMPT;
      }
      return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );

  const provider = new Provider(urls.issuerV2(tid), {
    adapter: store.adapterFor(tid),
    clients,
    jwks: { keys: [{ ...key.privateJwk }] },
    cookies: {
      keys: key.cookieKeys,
      names: tenantCookieNames(tid),
      long: { httpOnly: true, sameSite: "lax" },
      short: { httpOnly: true, sameSite: "lax" },
    },
    scopes: ["openid", "profile", "email", "offline_access"],
    claims: {
      openid: ["sub", "tid", "oid", "ver", "roles", "wids"],
      profile: ["name", "preferred_username"],
      email: ["email"],
    },
    // Entra puts the profile claims in the id_token itself; next-auth reads them from there.
    conformIdTokenClaims: false,
    subjectTypes: ["public", "pairwise"],
    pairwiseIdentifier: (_ctx, accountId, client) => pairwiseSubject(tid, accountId, client.clientId),
    findAccount,
    responseTypes: ["code"],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      // Logout is ours (logout.ts): Entra signs the browser out of every tenant at once.
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: true },
    },
    routes: { ...TENANT_PROVIDER_ROUTES },
    interactions: {
      url: (_ctx, interaction) => urls.interactionPath(tid, interaction.uid),
      policy,
    },
    ttl: {
      AccessToken: ONE_HOUR,
      AuthorizationCode: 10 * 60,
      IdToken: ONE_HOUR,
      RefreshToken: 14 * ONE_DAY,
      Interaction: ONE_HOUR,
      Session: ONE_DAY,
      Grant: 14 * ONE_DAY,
    },
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris.some((uri) => new URL(uri).origin === origin),
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = renderErrorPage(
        "Sign-in error",
        out.error_description ?? out.error ?? "The request could not be completed.",
        out,
      );
    },
  });

  provider.use(async (ctx, next) => {
    await next();
    const location = ctx.response.get("location");
    if (location) ctx.set("location", stripIssParameter(location, provider.issuer));
    // Token-endpoint errors in Entra's JSON shape (AADSTS code, trace and correlation ids).
    const body = ctx.body;
    if (ctx.oidc?.route === "token" && ctx.status >= 400 && isOAuthErrorBody(body)) {
      ctx.body = errors.fromOAuthError(ctx.status, body.error, body.error_description).body;
    }
  });
  // Same for response_mode=form_post, where the parameters travel in the page body.
  provider.on("authorization.success", (_ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
    delete out.iss;
  });

  const callback = provider.callback();
  return {
    tenant,
    provider,
    async forward(req, res, innerUrl) {
      // oidc-provider computes its mount path as the part of originalUrl before req.url, and
      // builds its own URLs (resume, interaction cookie paths) from it: always /{tid}, even when
      // the request named the tenant by domain or came through /common.
      Object.assign(req, { originalUrl: `/${tid}${innerUrl}` });
      req.url = innerUrl;
      await callback(req, res);
    },
  };
}
