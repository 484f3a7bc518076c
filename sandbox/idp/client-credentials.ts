/**
 * The client-credentials grant, implemented by hand (not through oidc-provider) so that tokens
 * and errors look exactly like Entra's:
 *   v2: POST /{tid}/oauth2/v2.0/token  scope={resource}/.default   (MSAL, current docs)
 *   v1: POST /{tid}/oauth2/token       resource={resource}          (older docs, SaaS Accelerator)
 * The client authenticates with client_secret in the body or HTTP Basic, or with a client
 * assertion (a certificate-signed JWT or a federated token: client-assertions.ts).
 */
import { z } from "zod";
import type { Tenant } from "../types";
import type { AccessTokenSigner } from "./access-tokens";
import { JWT_BEARER_ASSERTION, verifyClientAssertion, type ClientAssertionDeps } from "./client-assertions";
import type { DirectoryLookup } from "./directory-lookup";
import type { EntraError, EntraErrorCatalog } from "./entra-errors";

export type TokenEndpointVersion = 1 | 2;

const clientCredentialsForm = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  client_assertion_type: z.string().optional(),
  client_assertion: z.string().optional(),
  scope: z.string().optional(),
  resource: z.string().optional(),
});

export interface V2TokenResponse {
  token_type: "Bearer";
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}
/** The v1 endpoint returns its numbers as strings and echoes the resource. */
export interface V1TokenResponse {
  token_type: "Bearer";
  expires_in: string;
  ext_expires_in: string;
  expires_on: string;
  not_before: string;
  resource: string;
  access_token: string;
}

export type ClientCredentialsResult =
  { ok: true; body: V1TokenResponse | V2TokenResponse } | { ok: false; error: EntraError };

interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, "%20"));
    return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/** `{resource}/.default`, ignoring OIDC scopes some libraries add; anything else is refused as Entra does. */
function resourceFromScope(scope: string): string | undefined {
  const scopes = scope.split(" ").filter((s) => s && !["openid", "profile", "offline_access", "email"].includes(s));
  if (scopes.length !== 1 || !scopes[0]?.endsWith("/.default")) return undefined;
  return scopes[0].slice(0, -"/.default".length) || undefined;
}

export interface ClientCredentialsDeps {
  directory: DirectoryLookup;
  errors: EntraErrorCatalog;
  signer: AccessTokenSigner;
  assertions: ClientAssertionDeps;
}

export interface ClientCredentialsRequest {
  tenant: Tenant;
  endpointVersion: TokenEndpointVersion;
  form: Record<string, string>;
  authorization?: string;
}

export async function issueClientCredentialsToken(
  deps: ClientCredentialsDeps,
  request: ClientCredentialsRequest,
): Promise<ClientCredentialsResult> {
  const { directory, errors, signer } = deps;
  const { tenant, endpointVersion } = request;
  const fail = (error: EntraError): ClientCredentialsResult => ({ ok: false, error });
  const form = clientCredentialsForm.parse(request.form);

  if (!form.grant_type) return fail(errors.missingParameter("grant_type"));
  if (form.grant_type !== "client_credentials") return fail(errors.unsupportedGrantType(form.grant_type));

  const basic = parseBasicAuthorization(request.authorization);
  if (basic && form.client_id && basic.clientId !== form.client_id) return fail(errors.clientIdMismatch());
  const clientId = basic?.clientId ?? form.client_id;
  const clientSecret = basic?.clientSecret ?? form.client_secret;
  if (!clientId) return fail(errors.missingParameter("client_id"));

  const requested = endpointVersion === 2 ? form.scope : form.resource;
  if (!requested) return fail(errors.missingParameter(endpointVersion === 2 ? "scope" : "resource"));

  // A single-tenant app only exists in its home tenant, so asking another tenant for a token is
  // "application not found in the directory" (AADSTS700016), exactly like an unknown client id.
  const app = directory.appInTenant(clientId, tenant.id);
  if (!app) return fail(errors.appNotFound(clientId, tenant.name));
  const assertion = form.client_assertion_type === JWT_BEARER_ASSERTION ? form.client_assertion : undefined;
  if (assertion && clientSecret) return fail(errors.bothCredentials());
  if (assertion) {
    const check = await verifyClientAssertion(deps.assertions, { tenant, app, assertion });
    if (!check.ok) return fail(check.error);
  } else {
    if (!clientSecret) return fail(errors.missingSecret());
    if (clientSecret !== app.clientSecret) return fail(errors.invalidSecret(app.clientId));
  }

  const resourceId = endpointVersion === 2 ? resourceFromScope(requested) : requested;
  if (!resourceId) return fail(errors.invalidScope(requested));
  const resource = directory.resource(resourceId);
  if (!resource) return fail(errors.resourceNotFound(resourceId, tenant.name));

  // appidacr/azpacr: "1" the client used a secret, "2" an assertion (certificate or federated).
  const authenticatedWith = assertion ? "2" : "1";
  const { accessToken, issuedAt, expiresAt } = await signer.sign({
    tid: tenant.id,
    clientId: app.clientId,
    audience: resource.appId,
    version: resource.accessTokenVersion,
    extraClaims: resource.accessTokenVersion === 1 ? { appidacr: authenticatedWith } : { azpacr: authenticatedWith },
  });
  // Entra reports one second less than the token's lifetime.
  const expiresIn = expiresAt - issuedAt - 1;
  if (endpointVersion === 2) {
    return {
      ok: true,
      body: { token_type: "Bearer", expires_in: expiresIn, ext_expires_in: expiresIn, access_token: accessToken },
    };
  }
  return {
    ok: true,
    body: {
      token_type: "Bearer",
      expires_in: String(expiresIn),
      ext_expires_in: String(expiresIn),
      expires_on: String(expiresAt),
      not_before: String(issuedAt),
      resource: requested,
      access_token: accessToken,
    },
  };
}
