/**
 * Maps Entra ID's URL layout onto the identity provider's handlers. The first path segment
 * names the tenant (its id or its domain, as in Entra) or is `common` / `organizations`.
 * Paths outside this layout return false so the sandbox server can answer 404.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JSONWebKeySet } from "jose";
import { isBodyTooLarge, replayRequest, requestUrl, sendHtml, sendJson } from "../http";
import type { Handler, Tenant } from "../types";
import { adaptTenantAuthorizeQuery } from "./authorization-request";
import {
  issueClientCredentialsToken,
  type ClientCredentialsDeps,
  type TokenEndpointVersion,
} from "./client-credentials";
import type { CommonEndpoint } from "./common-endpoint";
import { discoveryV1, discoveryV2, type DiscoveryDocument } from "./discovery";
import type { EntraErrorCatalog, EntraError } from "./entra-errors";
import { isMultiTenantSegment, type EntraUrls, type MultiTenantSegment } from "./entra-urls";
import { ACCEPT_JSON, NO_STORE, readFormBody } from "./entra-http";
import { handleInteraction, type InteractionDeps } from "./interactions";
import { renderErrorPage } from "./sign-in-page";
import type { ArtifactStore } from "./artifact-store";
import type { TenantProvider } from "./tenant-provider";

export interface RouterDeps {
  urls: EntraUrls;
  errors: EntraErrorCatalog;
  jwks: () => JSONWebKeySet;
  resolveTenant: (segment: string) => Tenant | undefined;
  tenantProviders: Map<string, TenantProvider>;
  common: CommonEndpoint;
  logout: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  clientCredentials: ClientCredentialsDeps;
  interactions: InteractionDeps;
  store: ArtifactStore;
}

/** Public metadata: cacheable and readable from any origin, as Entra serves it. */
const PUBLIC_METADATA = { "cache-control": "max-age=86400, private", "access-control-allow-origin": "*" };

type Route =
  | { kind: "discovery-v2" | "discovery-v1" | "keys" | "authorize" | "token" | "token-v1" | "logout" | "common-login" }
  | { kind: "resume" | "interaction"; uid: string };

const UID = "([A-Za-z0-9_-]{1,128})";
const LOOKS_LIKE_TENANT =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;
const ROUTES: [RegExp, (match: RegExpMatchArray) => Route, string[]][] = [
  [/^\/v2\.0\/\.well-known\/openid-configuration$/, () => ({ kind: "discovery-v2" }), ["GET"]],
  [/^\/\.well-known\/openid-configuration$/, () => ({ kind: "discovery-v1" }), ["GET"]],
  [/^\/discovery(?:\/v2\.0)?\/keys$/, () => ({ kind: "keys" }), ["GET"]],
  [/^\/oauth2\/v2\.0\/authorize$/, () => ({ kind: "authorize" }), ["GET", "POST"]],
  [new RegExp(`^/oauth2/v2\\.0/authorize/${UID}$`), (m) => ({ kind: "resume", uid: m[1] ?? "" }), ["GET", "POST"]],
  [/^\/oauth2\/v2\.0\/token$/, () => ({ kind: "token" }), ["POST"]],
  [/^\/oauth2\/token$/, () => ({ kind: "token-v1" }), ["POST"]],
  [/^\/oauth2\/v2\.0\/logout$/, () => ({ kind: "logout" }), ["GET", "POST"]],
  [/^\/login$/, () => ({ kind: "common-login" }), ["POST"]],
  [new RegExp(`^/login/${UID}$`), (m) => ({ kind: "interaction", uid: m[1] ?? "" }), ["GET", "POST"]],
];

function matchRoute(path: string): { route: Route; methods: string[] } | undefined {
  for (const [pattern, build, methods] of ROUTES) {
    const match = path.match(pattern);
    if (match) return { route: build(match), methods };
  }
  return undefined;
}

function sendEntraError(res: ServerResponse, error: EntraError): void {
  sendJson(res, error.status, error.body, NO_STORE);
}

export function createRouter(deps: RouterDeps): Handler {
  const { urls, errors, tenantProviders, common, store } = deps;
  const tids = [...tenantProviders.keys()];

  function sendDiscovery(res: ServerResponse, document: DiscoveryDocument): void {
    sendJson(res, 200, document, PUBLIC_METADATA);
  }

  async function clientCredentialsOrForward(
    tenantProvider: TenantProvider,
    version: TokenEndpointVersion,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const { raw, form } = await readFormBody(req);
    const grantType = form.grant_type;
    if (version === 2 && (grantType === "authorization_code" || grantType === "refresh_token")) {
      return tenantProvider.forward(replayRequest(req, raw, ACCEPT_JSON), res, "/oauth2/v2.0/token");
    }
    const result = await issueClientCredentialsToken(deps.clientCredentials, {
      tenant: tenantProvider.tenant,
      endpointVersion: version,
      form,
      authorization: req.headers.authorization,
    });
    if (!result.ok) return sendEntraError(res, result.error);
    sendJson(res, 200, result.body, NO_STORE);
  }

  async function routeMultiTenant(
    segment: MultiTenantSegment,
    route: Route,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    switch (route.kind) {
      case "discovery-v2":
        sendDiscovery(res, discoveryV2(urls, segment));
        return true;
      case "discovery-v1":
        sendDiscovery(res, discoveryV1(urls, segment));
        return true;
      case "keys":
        sendJson(res, 200, deps.jwks(), PUBLIC_METADATA);
        return true;
      case "authorize":
        if (req.method !== "GET") {
          // The sandbox's /common sign-in takes its request from the query string only.
          sendJson(
            res,
            405,
            { error: "invalid_request", error_description: "Use GET for /common authorization requests." },
            { allow: "GET" },
          );
          return true;
        }
        await common.authorize(segment, req, res);
        return true;
      case "common-login":
        await common.login(segment, req, res);
        return true;
      case "token":
        await common.token(segment, req, res);
        return true;
      case "token-v1":
        sendEntraError(res, errors.tenantRequired(segment));
        return true;
      case "logout":
        await deps.logout(req, res);
        return true;
      default:
        return false;
    }
  }

  async function routeTenant(
    tenantProvider: TenantProvider,
    route: Route,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    const tid = tenantProvider.tenant.id;
    const url = requestUrl(req);
    switch (route.kind) {
      case "discovery-v2":
        sendDiscovery(res, discoveryV2(urls, tid, tid));
        return true;
      case "discovery-v1":
        sendDiscovery(res, discoveryV1(urls, tid, tid));
        return true;
      case "keys":
        sendJson(res, 200, deps.jwks(), PUBLIC_METADATA);
        return true;
      case "authorize":
        await tenantProvider.forward(req, res, `/oauth2/v2.0/authorize${adaptTenantAuthorizeQuery(url.search)}`);
        return true;
      case "resume":
        await tenantProvider.forward(req, res, `/oauth2/v2.0/authorize/${route.uid}${url.search}`);
        return true;
      case "interaction":
        await handleInteraction(deps.interactions, tenantProvider, route.uid, req, res);
        return true;
      case "token":
        await clientCredentialsOrForward(tenantProvider, 2, req, res);
        return true;
      case "token-v1":
        await clientCredentialsOrForward(tenantProvider, 1, req, res);
        return true;
      case "logout":
        await deps.logout(req, res);
        return true;
      default:
        return false;
    }
  }

  /** Stand-in for Graph's /oidc/userinfo: finds the tenant that issued the bearer token. */
  async function userinfo(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const tid = token ? store.tenantOf("AccessToken", token, tids) : undefined;
    const tenantProvider = tid ? tenantProviders.get(tid) : undefined;
    if (!tenantProvider) {
      sendJson(
        res,
        401,
        { error: "invalid_token", error_description: "The access token is missing, invalid or expired." },
        {
          "www-authenticate": 'Bearer error="invalid_token"',
        },
      );
      return;
    }
    await tenantProvider.forward(req, res, "/oidc/userinfo");
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = requestUrl(req);
    if (url.pathname === "/oidc/userinfo" && (req.method === "GET" || req.method === "POST")) {
      await userinfo(req, res);
      return true;
    }
    const match = url.pathname.match(/^\/([^/]+)(\/.*)$/);
    const segment = match?.[1];
    const matched = match?.[2] ? matchRoute(match[2]) : undefined;
    if (!segment || !matched) return false;
    if (!matched.methods.includes(req.method ?? "GET")) {
      sendJson(
        res,
        405,
        { error: "invalid_request", error_description: `Method ${req.method} is not allowed here.` },
        {
          allow: matched.methods.join(", "),
        },
      );
      return true;
    }

    if (isMultiTenantSegment(segment)) return routeMultiTenant(segment, matched.route, req, res);

    const tenant = deps.resolveTenant(segment);
    const tenantProvider = tenant ? tenantProviders.get(tenant.id) : undefined;
    if (!tenantProvider) {
      // Answer like Entra only for what looks like a tenant (a GUID or a domain); leave other
      // paths to the server's 404.
      if (!LOOKS_LIKE_TENANT.test(segment)) return false;
      const error = errors.tenantNotFound(segment);
      if (matched.route.kind === "authorize" || matched.route.kind === "interaction") {
        sendHtml(
          res,
          400,
          renderErrorPage("Sorry, but we're having trouble signing you in.", error.body.error_description),
        );
      } else {
        sendEntraError(res, error);
      }
      return true;
    }
    return routeTenant(tenantProvider, matched.route, req, res);
  }

  return async (req, res) => {
    try {
      return await route(req, res);
    } catch (error) {
      if (!isBodyTooLarge(error)) throw error;
      sendJson(res, 413, { error: "invalid_request", error_description: "The request body is too large." });
      return true;
    }
  };
}
