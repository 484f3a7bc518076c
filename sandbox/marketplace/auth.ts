/**
 * Bearer-token check of every Fulfillment API call. Microsoft answers **403** (not 401) for a
 * missing, malformed, expired or wrong-audience token and for an app that is not the one set in
 * the offer's Technical configuration (marketplace-contract.md §2.4), so every failure here is a 403.
 */
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { Directory, IdentityProvider } from "../types";
import { HttpError } from "./http-error";
import { MARKETPLACE_API_APP_ID } from "./model";

export interface PublisherCaller {
  appId: string;
  tokenVersion: 1 | 2;
}

export interface TokenVerifierOptions {
  idp: IdentityProvider;
  directory: Directory;
}

/** Small skew for the IdP and the emulator running on the same clock. */
const CLOCK_TOLERANCE_SECONDS = 5;

export function createTokenVerifier({ idp, directory }: TokenVerifierOptions) {
  const tenantId = directory.publisherTenantId;
  const publisherApps = new Set(directory.apps.filter((a) => a.isMarketplacePublisherApp).map((a) => a.clientId));

  return async function verifyPublisherToken(authorization: string | undefined): Promise<PublisherCaller> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
    if (!match?.[1]) throw forbidden("The Authorization header with a Bearer token is missing");

    const issuers = { [idp.issuer(tenantId, 1)]: 1, [idp.issuer(tenantId, 2)]: 2 } as const satisfies Record<
      string,
      1 | 2
    >;
    let payload: JWTPayload;
    try {
      // The key set is read on each call so a key rotation in the IdP is picked up at once.
      ({ payload } = await jwtVerify(match[1], createLocalJWKSet(idp.jwks()), {
        algorithms: ["RS256"],
        audience: MARKETPLACE_API_APP_ID,
        issuer: Object.keys(issuers),
        requiredClaims: ["exp"],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      throw forbidden(describeJoseError(error));
    }

    const version = issuers[payload.iss ?? ""];
    if (version === undefined) throw forbidden("The token issuer is not the publisher's tenant");
    // v1 tokens name the calling app in `appid`, v2 tokens in `azp`.
    const claim = version === 1 ? payload.appid : payload.azp;
    const appId = typeof claim === "string" ? claim : undefined;
    if (!appId) throw forbidden(`The token has no ${version === 1 ? "appid" : "azp"} claim`);
    if (!publisherApps.has(appId)) {
      throw forbidden(`App ${appId} is not the app registered in the offer's technical configuration`);
    }
    return { appId, tokenVersion: version };
  };
}

function forbidden(message: string): HttpError {
  return new HttpError(403, "Forbidden", `Unauthorized. ${message}.`);
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "The token has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `The token's ${error.claim} claim is not valid (${error.reason})`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "The token signature is not valid";
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return "The token was not signed by a key of the identity provider";
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The token is not signed with RS256";
  return "The token is malformed";
}
