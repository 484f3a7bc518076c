/**
 * OpenID Connect discovery documents shaped like Entra's. Written by hand rather than taken from
 * oidc-provider because Entra's layout differs from what oidc-provider would publish:
 *  - v2 metadata lives under /{tid}/v2.0/.well-known/..., v1 under /{tid}/.well-known/...;
 *  - the v1 issuer is the sts.windows.net form (`${baseUrl}/{tid}/`);
 *  - /common and /organizations publish the literal issuer `${baseUrl}/{tenantid}/v2.0`, which
 *    clients (next-auth's microsoft-entra-id provider, MSAL) replace with the id_token's `tid`.
 * Only endpoints the sandbox serves are listed.
 */
import { TENANT_ID_PLACEHOLDER, type EntraUrls } from "./entra-urls";

export type DiscoveryDocument = Record<string, unknown>;

const sharedV2 = {
  token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
  response_modes_supported: ["query", "fragment", "form_post"],
  subject_types_supported: ["pairwise"],
  id_token_signing_alg_values_supported: ["RS256"],
  response_types_supported: ["code"],
  scopes_supported: ["openid", "profile", "email", "offline_access"],
  request_uri_parameter_supported: false,
  claims_supported: [
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "preferred_username",
    "name",
    "tid",
    "oid",
    "ver",
    "email",
    "roles",
    "wids",
    "at_hash",
  ],
  grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
  cloud_instance_name: "sandbox.localhost",
};

/** `tenantSegment` is a tenant id, or `common` / `organizations`. */
export function discoveryV2(urls: EntraUrls, tenantSegment: string, tid?: string): DiscoveryDocument {
  return {
    token_endpoint: urls.token(tenantSegment),
    jwks_uri: urls.keysV2(tenantSegment),
    issuer: tid ? urls.issuerV2(tid) : urls.issuerV2(TENANT_ID_PLACEHOLDER),
    userinfo_endpoint: urls.userinfo(),
    authorization_endpoint: urls.authorize(tenantSegment),
    end_session_endpoint: urls.logout(tenantSegment),
    http_logout_supported: true,
    ...sharedV2,
    tenant_region_scope: tid ? "NA" : null,
  };
}

/**
 * v1 metadata: what v1 token validators (the SaaS Accelerator, older middleware) read for
 * `issuer` and `jwks_uri`. The v1 authorize endpoint (/oauth2/authorize) is not emulated.
 */
export function discoveryV1(urls: EntraUrls, tenantSegment: string, tid?: string): DiscoveryDocument {
  return {
    token_endpoint: urls.tokenV1(tenantSegment),
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: urls.keysV1(tenantSegment),
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    scopes_supported: ["openid"],
    issuer: tid ? urls.issuerV1(tid) : urls.issuerV1(TENANT_ID_PLACEHOLDER),
    microsoft_multi_refresh_token: true,
    grant_types_supported: ["client_credentials"],
    tenant_region_scope: tid ? "NA" : null,
    cloud_instance_name: "sandbox.localhost",
  };
}
