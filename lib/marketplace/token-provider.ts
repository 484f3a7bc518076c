/**
 * Access tokens for the marketplace API, for the publisher's single-tenant fulfillment app
 * (client credentials, marketplace-contract.md §2). MSAL caches the token and renews it shortly before
 * it expires, so callers ask for a token on every request. A plain-http authority (a local
 * emulator on loopback, which lib/env.ts allows outside production) goes through
 * loopback-client-credentials.ts instead, because MSAL accepts only https authorities.
 */
import { ConfidentialClientApplication, LogLevel } from "@azure/msal-node";
import { MarketplaceError } from "./errors";
import { loopbackClientCredentials } from "./loopback-client-credentials";

export interface TokenProviderSettings {
  authorityHost: string; // https://login.microsoftonline.com, or the sandbox origin
  tenantId: string;
  clientId: string;
  clientSecret: string;
  resourceId: string; // 20e940b3-4c77-4b0b-9a53-9e16a1b010a7
}

/** `skipCache`: ask Entra now instead of MSAL's cached token (the health check must see Entra itself). */
export type AccessTokenProvider = (options?: { skipCache?: boolean }) => Promise<string>;

export function createTokenProvider(settings: TokenProviderSettings): AccessTokenProvider {
  const authorityHost = settings.authorityHost.replace(/\/+$/, "");
  const scope = `${settings.resourceId}/.default`;
  const acquire =
    new URL(authorityHost).protocol === "http:"
      ? loopbackClientCredentials({ ...settings, authorityHost, scope })
      : msalClientCredentials(settings, authorityHost, scope);

  return async (options = {}) => {
    try {
      return await acquire(options.skipCache ?? false);
    } catch (cause) {
      const code = errorCode(cause);
      throw new MarketplaceError({
        kind: "authentication",
        operation: "acquireToken",
        message: `The fulfillment app could not get a token from Entra ID (${code}). Check MARKETPLACE_TENANT_ID, MARKETPLACE_CLIENT_ID and MARKETPLACE_CLIENT_SECRET.`,
        cause,
      });
    }
  };
}

/** MSAL's errorCode, or the OAuth error (oauth4webapi's `error`). */
function errorCode(cause: unknown): string {
  if (typeof cause !== "object" || !cause) return "unknown";
  if ("errorCode" in cause) return String(cause.errorCode);
  if ("error" in cause && typeof cause.error === "string") return cause.error;
  return "unknown";
}

function msalClientCredentials(
  settings: TokenProviderSettings,
  authorityHost: string,
  scope: string,
): (skipCache: boolean) => Promise<string> {
  const host = new URL(authorityHost).host;
  const isMicrosoft = host === "login.microsoftonline.com";
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
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
