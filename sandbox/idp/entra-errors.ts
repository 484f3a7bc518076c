/**
 * Token-endpoint errors in Entra ID's JSON shape. Clients (MSAL, the portal's token cache) log
 * and branch on `error` and on the AADSTS code, so the sandbox reproduces both, including the
 * trace/correlation/timestamp suffix Entra appends to every error_description.
 */
import { randomUUID } from "node:crypto";

export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export interface EntraError {
  status: number;
  body: EntraErrorBody;
}

/** Entra's timestamp format: "2024-05-01 10:00:00Z". */
function entraTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, "Z");
}

export function entraError(
  baseUrl: string,
  status: number,
  error: string,
  code: number,
  message: string,
  correlationId: string = randomUUID(),
): EntraError {
  const timestamp = entraTimestamp(new Date());
  const traceId = randomUUID();
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${baseUrl}/error?code=${code}`,
    },
  };
}

/** Entra's usual AADSTS code for each OAuth error (its codes are finer-grained; these are the common ones). */
const OAUTH_ERROR_CODES: Record<string, number> = {
  invalid_grant: 70000,
  invalid_client: 7000215,
  invalid_request: 900144,
  unauthorized_client: 700016,
  invalid_scope: 70011,
  unsupported_grant_type: 70003,
};

/** The errors the sandbox emits, with Entra's codes and wording. */
export function entraErrors(baseUrl: string) {
  const make = (status: number, error: string, code: number, message: string) =>
    entraError(baseUrl, status, error, code, message);
  return {
    tenantNotFound: (segment: string) =>
      make(
        400,
        "invalid_tenant",
        90002,
        `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
      ),
    missingParameter: (name: string) =>
      make(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
    unsupportedGrantType: (grantType: string) =>
      make(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`),
    appNotFound: (clientId: string, tenantName: string) =>
      make(
        400,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      ),
    missingSecret: () =>
      make(
        401,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      ),
    invalidSecret: (clientId: string) =>
      make(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      ),
    invalidScope: (scope: string) =>
      make(
        400,
        "invalid_scope",
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      ),
    resourceNotFound: (resource: string, tenantName: string) =>
      make(
        400,
        "invalid_resource",
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      ),
    clientIdMismatch: () =>
      make(
        400,
        "invalid_request",
        900144,
        "The client_id in the request body does not match the client_id in the Authorization header.",
      ),
    tenantRequired: (segment: string) =>
      make(
        400,
        "invalid_request",
        900023,
        `Specified tenant identifier '${segment}' is neither a valid DNS name, nor a valid external domain. Client credentials require a tenant-specific endpoint.`,
      ),
    invalidGrant: () =>
      make(
        400,
        "invalid_grant",
        70000,
        "The provided authorization code or refresh token is invalid, expired or was already redeemed.",
      ),
    /** A client assertion that is not a JWT at all, or lacks a claim Entra requires. */
    malformedAssertion: (what: string) =>
      make(401, "invalid_client", 50027, `JWT token is invalid or malformed. [Reason - ${what}]`),
    bothCredentials: () =>
      make(
        400,
        "invalid_request",
        900144,
        "The request body must contain only one of the following parameters: 'client_assertion' or 'client_secret'.",
      ),
    certificateNotFound: (clientId: string, thumbprint: string) =>
      make(
        401,
        "invalid_client",
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
      ),
    assertionSignatureInvalid: (thumbprint: string, found: string) =>
      make(
        401,
        "invalid_client",
        700027,
        `Client assertion failed signature validation. [Reason - Key was found, but use of the key to verify the signature failed., Thumbprint of key used by client: '${thumbprint}', Found key '${found}']`,
      ),
    certificateExpired: (thumbprint: string, found: string) =>
      make(
        401,
        "invalid_client",
        700027,
        `Client assertion failed signature validation. [Reason - The key used is expired., Thumbprint of key used by client: '${thumbprint}', Found key '${found}']`,
      ),
    assertionAudience: () =>
      make(
        401,
        "invalid_client",
        700023,
        "Client assertion audience claim does not match Realm issuer. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
      ),
    assertionTimeRange: (now: Date, validFrom: Date, expiresAt: Date) =>
      make(
        401,
        "invalid_client",
        700024,
        `Client assertion is not within its valid time range. Current time: ${now.toISOString()}, assertion valid from ${validFrom.toISOString()}, expiry time of assertion ${expiresAt.toISOString()}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
      ),
    assertionClientMismatch: () =>
      make(
        401,
        "invalid_client",
        700021,
        "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .",
      ),
    /**
     * Entra documents no error for a replayed certificate assertion; the sandbox refuses one so a
     * client that re-sends the same assertion is caught (docs/decisions/0016). Its own code.
     */
    assertionReplayed: (jti: string) =>
      make(
        401,
        "invalid_client",
        7000299,
        `Client assertion was already used (jti '${jti}'). Sign a new assertion, with a new jti, for each token request. (Sandbox: Entra ID documents no error for a replayed assertion.)`,
      ),
    federatedIssuerUnknown: (issuer: string) =>
      make(
        401,
        "invalid_client",
        700211,
        `No matching federated identity record found for presented assertion issuer '${issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
      ),
    federatedAudienceUnknown: (audience: string) =>
      make(
        401,
        "invalid_client",
        700212,
        `No matching federated identity record found for presented assertion audience '${audience}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
      ),
    federatedSubjectUnknown: (subject: string) =>
      make(
        401,
        "invalid_client",
        700213,
        `No matching federated identity record found for presented assertion subject '${subject}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
      ),
    federatedKeyNotFound: (keyId: string, issuer: string) =>
      make(
        401,
        "invalid_client",
        7000272,
        `The certificate with identifier ${keyId} used to sign the federated credential could not be found in the metadata of identity provider ${issuer}. Please validate that your Identity Provider's metadata exposes the key used to sign the incoming token.`,
      ),
    federatedSignatureInvalid: (issuer: string) =>
      make(
        401,
        "invalid_client",
        50013,
        `Assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Issuer: '${issuer}']`,
      ),
    /** Re-dresses an oidc-provider token-endpoint error in Entra's shape (same `error`, an AADSTS code). */
    fromOAuthError: (status: number, error: string, description: string | undefined) =>
      make(status, error, OAUTH_ERROR_CODES[error] ?? 90000, `${description ?? error}.`.replace(/\.\.$/, ".")),
  };
}
export type EntraErrorCatalog = ReturnType<typeof entraErrors>;
