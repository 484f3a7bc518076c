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
    /** Re-dresses an oidc-provider token-endpoint error in Entra's shape (same `error`, an AADSTS code). */
    fromOAuthError: (status: number, error: string, description: string | undefined) =>
      make(status, error, OAUTH_ERROR_CODES[error] ?? 90000, `${description ?? error}.`.replace(/\.\.$/, ".")),
  };
}
export type EntraErrorCatalog = ReturnType<typeof entraErrors>;
