/**
 * Authenticates Microsoft's webhook call (marketplace-contract.md §8.4): a bearer JWT issued by Entra
 * ID for the publisher's app. Checks, in order: RS256 signature against the publisher tenant's
 * JWKS (cached; refreshed when an unknown `kid` appears), issuer in the v1
 * (`https://sts.windows.net/{tid}/`) or v2 (`https://login.microsoftonline.com/{tid}/v2.0`) form,
 * audience = the publisher's app id (or its App ID URI), `tid` = the publisher tenant, caller (`appid` v1 / `azp` v2)
 * = the marketplace app, and the lifetime with a small clock skew. Its age is bounded too: `iat`
 * and `nbf` may not lie in the future beyond the skew, `iat` may not be older than the maximum age,
 * and the token may not be valid for longer than that (`exp - iat`, `exp - nbf`), so a token
 * minted with a far `exp` (a leaked signing key's favourite) or stamped ahead of time is refused.
 * A token without `iat` is refused: Entra always sends it.
 *
 * A refusal after the signature verified, for a claim the publisher configures, says which one
 * (`signedMismatch`): a genuine delivery refused that way means the portal's settings do not match
 * Partner Center's, and Microsoft's changes are not applied (alert-webhook-token-refused.ts).
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";

export const MARKETPLACE_APP_ID = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
/** Entra's access tokens live 60–90 minutes by default and at most a day under a lifetime policy. */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 24 * 60 * 60;

export interface WebhookVerifierSettings {
  /** Publisher tenant's JWKS, e.g. https://login.microsoftonline.com/{tid}/discovery/v2.0/keys */
  jwksUrl: string;
  /** Accepted issuers: the v1 and v2 forms for the publisher tenant. */
  issuers: string[];
  /** The token's accepted audiences: the publisher's (fulfillment) app id, its App ID URI (webhookAudiences). */
  audience: string | string[];
  tenantId: string;
  callerAppId?: string;
  clockToleranceSeconds?: number;
  /** Oldest `iat` accepted, and the longest lifetime (`exp - iat`, `exp - nbf`); default 24 h. */
  maxTokenAgeSeconds?: number;
  /** After a JWKS fetch, no other fetch for this long: a flood of unknown kids cannot make us hammer Entra. */
  jwksCooldownMs?: number;
  /** For tests: a key source other than the remote JWKS. */
  keys?: JWTVerifyGetKey;
}

/**
 * The configured claim a token signed by Entra ID did not match: `audience` (WEBHOOK_AUDIENCE),
 * `issuer` (MARKETPLACE_TENANT_ID, or WEBHOOK_ISSUERS), `tenant` (MARKETPLACE_TENANT_ID) — each only
 * for a token issued to Microsoft's marketplace service: Entra's signing keys are shared by every
 * tenant, so anyone with a tenant of their own can have a token signed for their own app — or
 * `caller`: signed for our app in our tenant, but issued to another application. Never for a bad
 * signature, a malformed token or its times (expired, too old: a clock or a replay, not settings).
 */
export type SignedMismatch = "audience" | "issuer" | "tenant" | "caller";

export type WebhookVerification =
  | { ok: true; version: "1.0" | "2.0"; caller: string; claims: JWTPayload }
  | { ok: false; reason: string; signedMismatch?: SignedMismatch };

const TENANT_CLAIM_LONG = "http://schemas.microsoft.com/identity/claims/tenantid";

export function issuersFor(authorityHost: string, tenantId: string): string[] {
  const host = authorityHost.replace(/\/+$/, "");
  if (new URL(host).hostname === "login.microsoftonline.com") {
    return [`https://sts.windows.net/${tenantId}/`, `https://login.microsoftonline.com/${tenantId}/v2.0`];
  }
  // Elsewhere (the local sandbox), the host itself takes sts.windows.net's place for v1.
  return [`${host}/${tenantId}/`, `${host}/${tenantId}/v2.0`];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The audiences a webhook token may carry (marketplace-contract.md §8.4, §15.27): each configured
 * application id together with its default App ID URI `api://<app id>` (a v1 token may name the app
 * by its URI), and any other App ID URI as given. Either way the token was issued for our app.
 */
export function webhookAudiences(configured: readonly string[]): string[] {
  const audiences = configured.flatMap((entry) =>
    GUID.test(entry) ? [entry.toLowerCase(), `api://${entry.toLowerCase()}`] : [entry],
  );
  return [...new Set(audiences)];
}

export function createWebhookVerifier(settings: WebhookVerifierSettings) {
  const keys =
    settings.keys ??
    createRemoteJWKSet(new URL(settings.jwksUrl), {
      cooldownDuration: settings.jwksCooldownMs ?? 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5000,
    });
  const caller = (settings.callerAppId ?? MARKETPLACE_APP_ID).toLowerCase();
  const tenant = settings.tenantId.toLowerCase();
  const maxAge = settings.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
  const callerOf = (claims: JWTPayload) => (claims.ver === "2.0" ? claims.azp : claims.appid);
  const fromMarketplace = (claims: JWTPayload) => {
    const presented = callerOf(claims);
    return typeof presented === "string" && presented.toLowerCase() === caller;
  };

  return async function verify(authorization: string | null | undefined): Promise<WebhookVerification> {
    const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)\s*$/i.exec(authorization ?? "");
    if (!match?.[1])
      return { ok: false, reason: authorization ? "malformed Authorization header" : "missing bearer token" };
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(match[1], keys, {
        algorithms: ["RS256"],
        issuer: settings.issuers,
        audience: settings.audience,
        clockTolerance: settings.clockToleranceSeconds ?? 120,
        requiredClaims: ["exp", "iat"],
        // Also refuses an iat in the future beyond the tolerance.
        maxTokenAge: maxAge,
      }));
    } catch (error) {
      const reason = describe(error);
      // jose checks the claims only once the signature verified; iss and aud before the times.
      if (
        error instanceof errors.JWTClaimValidationFailed &&
        (error.claim === "aud" || error.claim === "iss") &&
        error.reason === "check_failed" &&
        fromMarketplace(error.payload)
      )
        return { ok: false, reason, signedMismatch: error.claim === "aud" ? "audience" : "issuer" };
      return { ok: false, reason };
    }
    // jose has checked that exp and iat are numbers (required claims), and nbf when present.
    const lifetime = (claims.exp as number) - Math.min(claims.iat as number, claims.nbf ?? Number.POSITIVE_INFINITY);
    if (lifetime > maxAge) return { ok: false, reason: `token lifetime too long (${lifetime} s, at most ${maxAge} s)` };
    const tid =
      typeof claims.tid === "string"
        ? claims.tid
        : typeof claims[TENANT_CLAIM_LONG] === "string"
          ? claims[TENANT_CLAIM_LONG]
          : undefined;
    if (tid?.toLowerCase() !== tenant) {
      const reason = "token issued for another tenant";
      return fromMarketplace(claims) ? { ok: false, reason, signedMismatch: "tenant" } : { ok: false, reason };
    }
    const version = claims.ver === "2.0" ? "2.0" : "1.0";
    const presented = callerOf(claims);
    if (typeof presented !== "string" || presented.toLowerCase() !== caller)
      return { ok: false, reason: "caller is not the marketplace service", signedMismatch: "caller" };
    return { ok: true, version, caller: presented, claims };
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired)
    return error.claim === "iat" ? "token too old (iat beyond the maximum age)" : "token expired";
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "iat" && error.reason === "check_failed")
    return "token issued in the future (iat beyond the clock skew)";
  if (error instanceof errors.JWTClaimValidationFailed) return `claim check failed: ${error.claim} (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "signing algorithm not allowed";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature verification failed";
  if (error instanceof errors.JWKSNoMatchingKey) return "no signing key with that kid";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return "malformed token";
  if (error instanceof errors.JOSEError) return `token rejected (${error.code})`;
  return "token could not be verified";
}
