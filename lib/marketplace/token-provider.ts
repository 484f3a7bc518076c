/**
 * Access tokens for the marketplace API, for the publisher's single-tenant fulfillment app
 * (client credentials, marketplace-contract.md §2), with whichever credential the app has: a
 * secret, or a client assertion (certificate, federated token, managed identity:
 * client-assertion.ts, docs/decisions/0016). MSAL caches the token and renews it shortly before
 * it expires, so callers ask for a token on every request. A plain-http authority (a local
 * emulator on loopback, which lib/env.ts allows outside production) goes through
 * loopback-client-credentials.ts instead, because MSAL accepts only https authorities.
 */
import { ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
import { clientAssertionSource, isClientAssertionError, type ClientAuthentication } from "./client-assertion";
import { credentialHint, type ClientCredential } from "./client-credential";
import { MarketplaceError } from "./errors";
import { loopbackClientCredentials } from "./loopback-client-credentials";

export interface TokenProviderSettings {
  authorityHost: string; // https://login.microsoftonline.com, or the sandbox origin
  tenantId: string;
  clientId: string;
  credential: ClientCredential;
  resourceId: string; // 20e940b3-4c77-4b0b-9a53-9e16a1b010a7
}

/** `skipCache`: ask Entra now instead of MSAL's cached token (the health check must see Entra itself). */
export type AccessTokenProvider = (options?: { skipCache?: boolean }) => Promise<string>;

export function createTokenProvider(settings: TokenProviderSettings): AccessTokenProvider {
  const authorityHost = settings.authorityHost.replace(/\/+$/, "");
  const scope = `${settings.resourceId}/.default`;
  const { credential } = settings;
  const authentication: ClientAuthentication =
    credential.type === "secret"
      ? { secret: credential.secret }
      : { assertion: clientAssertionSource(credential, settings.clientId) };
  const acquire =
    new URL(authorityHost).protocol === "http:"
      ? loopbackClientCredentials({ ...settings, authorityHost, scope, authentication })
      : msalClientCredentials(settings, authorityHost, scope, authentication);

  return async (options = {}) => {
    try {
      return await acquire(options.skipCache ?? false);
    } catch (cause) {
      const assertionError = findAssertionError(cause);
      throw new MarketplaceError({
        kind: "authentication",
        operation: "acquireToken",
        message: assertionError
          ? `The fulfillment app could not authenticate: ${assertionError.message}`
          : `The fulfillment app could not get a token from Entra ID (${errorCode(cause)}). ${credentialHint(credential)}`,
        cause,
      });
    }
  };
}

/** MSAL may wrap what the assertion callback threw. */
function findAssertionError(error: unknown): Error | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (isClientAssertionError(current)) return current;
    current = typeof current === "object" && "cause" in current ? current.cause : undefined;
  }
  return undefined;
}

/** MSAL's errorCode, or the OAuth error (oauth4webapi's `error`), with Entra's AADSTS code when it sent one. */
function errorCode(cause: unknown): string {
  if (typeof cause !== "object" || !cause) return "unknown";
  const code =
    "errorCode" in cause
      ? String(cause.errorCode)
      : "error" in cause && typeof cause.error === "string"
        ? cause.error
        : "unknown";
  const description =
    "errorMessage" in cause && typeof cause.errorMessage === "string"
      ? cause.errorMessage
      : "error_description" in cause && typeof cause.error_description === "string"
        ? cause.error_description
        : "";
  const aadsts = /AADSTS\d+/.exec(description)?.[0];
  return aadsts ? `${code}, ${aadsts}` : code;
}

function msalClientCredentials(
  settings: TokenProviderSettings,
  authorityHost: string,
  scope: string,
  authentication: ClientAuthentication,
): (skipCache: boolean) => Promise<string> {
  const host = new URL(authorityHost).host;
  const isMicrosoft = host === "login.microsoftonline.com";
  const tokenEndpoint = `${authorityHost}/${settings.tenantId}/oauth2/v2.0/token`;
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      ...("secret" in authentication
        ? { clientSecret: authentication.secret }
        : { clientAssertion: (config) => authentication.assertion(config.tokenEndpoint ?? tokenEndpoint) }),
      authority: `${authorityHost}/${settings.tenantId}`,
      // Without knownAuthorities MSAL runs Microsoft's instance discovery for other hosts and
      // fails with a misleading endpoints_resolution_error (the host:port form is required).
      ...(isMicrosoft ? {} : { knownAuthorities: [host] }),
    },
    system: { loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} } },
  });
  return async (skipCache) => {
    const result = await app.acquireTokenByClientCredential({ scopes: [scope], skipCache });
    if (!result?.accessToken) throw new Error("no access token in the response");
    return result.accessToken;
  };
}
