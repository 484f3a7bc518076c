/**
 * App-only access tokens in Entra ID's two formats. Entra picks the format from the *resource*
 * (its manifest's accessTokenAcceptedVersion), not from the endpoint the client called: the
 * marketplace API accepts v1 tokens, so even MSAL's v2 endpoint call yields a v1 token
 * (iss https://sts.windows.net/{tid}/, caller in `appid`). v2 tokens carry the caller in `azp`.
 */
import { createHash, randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import type { AccessTokenRequest } from "../types";
import type { EntraUrls } from "./entra-urls";
import type { SigningKey } from "./signing-key";

export const DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

/**
 * A stable object id for an app's service principal in a tenant. In Entra the `oid`/`sub` of an
 * app-only token is the service principal's object id, which differs per tenant but never changes.
 */
export function servicePrincipalObjectId(tid: string, clientId: string): string {
  const hex = createHash("sha256")
    .update(`service-principal:${tid.toLowerCase()}:${clientId.toLowerCase()}`)
    .digest("hex");
  // Shape it as a name-based (version 5, RFC 4122 variant) UUID.
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

export interface SignedAccessToken {
  accessToken: string;
  issuedAt: number;
  expiresAt: number;
}

export interface AccessTokenSigner {
  sign(request: AccessTokenRequest): Promise<SignedAccessToken>;
}

export function createAccessTokenSigner(key: SigningKey, urls: EntraUrls): AccessTokenSigner {
  return {
    async sign(request) {
      const now = Math.floor(Date.now() / 1000);
      const lifetime = request.lifetimeSeconds ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SECONDS;
      const expiresAt = now + lifetime;
      const servicePrincipal = servicePrincipalObjectId(request.tid, request.clientId);
      const common = {
        aud: request.audience,
        iat: now,
        nbf: now,
        exp: expiresAt,
        idtyp: "app",
        oid: servicePrincipal,
        sub: servicePrincipal,
        tid: request.tid,
        // Entra's unique token identifier (used like jti).
        uti: randomBytes(16).toString("base64url"),
      };
      const claims =
        request.version === 1
          ? {
              ...common,
              iss: urls.issuerV1(request.tid),
              appid: request.clientId,
              // "1": the client authenticated with a secret ("2" would be a certificate).
              appidacr: "1",
              idp: urls.issuerV1(request.tid),
              ver: "1.0",
            }
          : {
              ...common,
              iss: urls.issuerV2(request.tid),
              azp: request.clientId,
              azpacr: "1",
              ver: "2.0",
            };
      const accessToken = await new SignJWT({ ...claims, ...request.extraClaims })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid })
        .sign(key.privateKey);
      return { accessToken, issuedAt: now, expiresAt };
    },
  };
}
