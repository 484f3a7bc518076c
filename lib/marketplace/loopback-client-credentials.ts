/**
 * Client credentials against a plain-http authority on this machine (a developer's local
 * emulator). MSAL refuses every authority that is not https (msal-common's UrlString
 * `validateAsUri` throws authority_uri_insecure, with no option to allow it), so this path uses
 * oauth4webapi — already in the tree under next-auth — whose explicit `allowInsecureRequests`
 * opt-in permits http. It posts to Entra's token URL layout without discovery and keeps the token
 * until shortly before it expires, as MSAL does. It authenticates with a secret or a client
 * assertion, as the MSAL path does. See docs/decisions/0007 and 0016.
 */
import * as oauth from "oauth4webapi";
import { isLoopbackHostname } from "../http/loopback";
import { JWT_BEARER_ASSERTION, type ClientAuthentication } from "./client-assertion";

const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;
const TIMEOUT_MS = 10_000;

export interface LoopbackClientCredentialsSettings {
  authorityHost: string; // http://127.0.0.1:9000, without a trailing slash
  tenantId: string;
  clientId: string;
  authentication: ClientAuthentication;
  scope: string;
}

export function loopbackClientCredentials(
  settings: LoopbackClientCredentialsSettings,
): (skipCache: boolean) => Promise<string> {
  // lib/env.ts lets http through only to loopback; this holds even for a caller that skipped it.
  if (!isLoopbackHostname(new URL(settings.authorityHost).hostname))
    throw new Error(`Plain http is allowed only to a loopback authority, not ${settings.authorityHost}`);
  const as: oauth.AuthorizationServer = {
    issuer: `${settings.authorityHost}/${settings.tenantId}/v2.0`,
    token_endpoint: `${settings.authorityHost}/${settings.tenantId}/oauth2/v2.0/token`,
  };
  const client: oauth.Client = { client_id: settings.clientId };
  const { authentication: credentials } = settings;
  const authentication: oauth.ClientAuth =
    "secret" in credentials
      ? oauth.ClientSecretPost(credentials.secret)
      : async (server, client, body) => {
          body.set("client_id", client.client_id);
          body.set("client_assertion_type", JWT_BEARER_ASSERTION);
          body.set("client_assertion", await credentials.assertion(String(server.token_endpoint)));
        };
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function request(): Promise<string> {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      authentication,
      { scope: settings.scope },
      {
        [oauth.allowInsecureRequests]: true,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    const lifetimeMs = (result.expires_in ?? 3600) * 1000;
    cached = { token: result.access_token, renewAt: Date.now() + Math.max(0, lifetimeMs - RENEW_BEFORE_EXPIRY_MS) };
    return result.access_token;
  }

  return async (skipCache) => {
    if (!skipCache && cached && Date.now() < cached.renewAt) return cached.token;
    // Callers arriving together share one request.
    inFlight ??= request().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
