/**
 * Entra ID's URL layout, with the sandbox origin in place of login.microsoftonline.com (and of
 * sts.windows.net for v1 issuers).
 */

/** Tenant-independent path segments. Entra also has /consumers (personal accounts): not emulated. */
export const MULTI_TENANT_SEGMENTS = ["common", "organizations"] as const;
export type MultiTenantSegment = (typeof MULTI_TENANT_SEGMENTS)[number];

export function isMultiTenantSegment(segment: string): segment is MultiTenantSegment {
  return (MULTI_TENANT_SEGMENTS as readonly string[]).includes(segment);
}

/** The literal placeholder Entra puts in the /common discovery issuer. */
export const TENANT_ID_PLACEHOLDER = "{tenantid}";

export interface EntraUrls {
  /** v1 issuer: `${baseUrl}/{tid}/` (real Entra: https://sts.windows.net/{tid}/). */
  issuerV1(tid: string): string;
  /** v2 issuer: `${baseUrl}/{tid}/v2.0`. */
  issuerV2(tid: string): string;
  authorize(tenantSegment: string): string;
  token(tenantSegment: string): string;
  tokenV1(tenantSegment: string): string;
  logout(tenantSegment: string): string;
  keysV2(tenantSegment: string): string;
  keysV1(tenantSegment: string): string;
  discoveryV2(tenantSegment: string): string;
  discoveryV1(tenantSegment: string): string;
  /** Sign-in form target of the multi-tenant endpoints (Entra posts its form to /common/login too). */
  commonLogin(segment: MultiTenantSegment): string;
  /** Path (not URL) of a tenant's sign-in step for one oidc-provider interaction. */
  interactionPath(tid: string, uid: string): string;
  /** Stand-in for https://graph.microsoft.com/oidc/userinfo, which Entra's discovery advertises. */
  userinfo(): string;
}

export function entraUrls(baseUrl: string): EntraUrls {
  return {
    issuerV1: (tid) => `${baseUrl}/${tid}/`,
    issuerV2: (tid) => `${baseUrl}/${tid}/v2.0`,
    authorize: (t) => `${baseUrl}/${t}/oauth2/v2.0/authorize`,
    token: (t) => `${baseUrl}/${t}/oauth2/v2.0/token`,
    tokenV1: (t) => `${baseUrl}/${t}/oauth2/token`,
    logout: (t) => `${baseUrl}/${t}/oauth2/v2.0/logout`,
    keysV2: (t) => `${baseUrl}/${t}/discovery/v2.0/keys`,
    keysV1: (t) => `${baseUrl}/${t}/discovery/keys`,
    discoveryV2: (t) => `${baseUrl}/${t}/v2.0/.well-known/openid-configuration`,
    discoveryV1: (t) => `${baseUrl}/${t}/.well-known/openid-configuration`,
    commonLogin: (segment) => `/${segment}/login`,
    interactionPath: (tid, uid) => `/${tid}/login/${uid}`,
    userinfo: () => `${baseUrl}/oidc/userinfo`,
  };
}
