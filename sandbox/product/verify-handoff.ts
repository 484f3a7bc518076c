/**
 * How a product checks the portal's hand-off token (README "Hand-off into the product"): the
 * signature against the portal's published keys (/.well-known/jwks.json, fetched again when a
 * token names a key not seen yet), the issuer (the portal's public URL), the audience (this
 * product), the type, the expiry and the age, then the token id (`jti`) once only. Anything else
 * is refused with a reason a person can act on.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";

/** What the portal signs (lib/handoff/handoff-claims.ts); the sandbox never imports portal code. */
export const HANDOFF_TOKEN_TYPE = "handoff+jwt";
export const HANDOFF_FORM_FIELD = "handoff_token";

export type HandoffRefusalCode =
  | "missing"
  | "malformed"
  | "expired"
  | "wrong_audience"
  | "wrong_issuer"
  | "bad_signature"
  | "unknown_key"
  | "replayed"
  | "invalid_claims"
  | "keys_unavailable";

export type HandoffVerdict =
  | { ok: true; claims: JWTPayload; header: { kid?: string; alg: string } }
  | { ok: false; code: HandoffRefusalCode; reason: string };

export interface HandoffVerifier {
  verify(token: string | undefined): Promise<HandoffVerdict>;
}

export interface HandoffVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Records the token id; false when it was used before. */
  useTokenId(jti: string, exp: number): boolean | Promise<boolean>;
}

const refusal = (code: HandoffRefusalCode, reason: string): HandoffVerdict => ({ ok: false, code, reason });

export function createHandoffVerifier(options: HandoffVerifierOptions): HandoffVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5000 });
  return {
    async verify(token) {
      if (!token) return refusal("missing", "No hand-off token was posted. Open the product from the portal.");
      try {
        const { payload, protectedHeader } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          typ: HANDOFF_TOKEN_TYPE,
          algorithms: ["ES256", "EdDSA"],
          maxTokenAge: "5m",
          clockTolerance: 5,
          requiredClaims: ["jti", "sub", "iat", "exp"],
        });
        if (typeof payload.jti !== "string" || typeof payload.exp !== "number")
          return refusal("invalid_claims", "The token has no usable id (jti) or expiry.");
        if (!(await options.useTokenId(payload.jti, payload.exp)))
          return refusal(
            "replayed",
            `This token (${payload.jti}) was used before. A hand-off token works once: open the product from the portal again.`,
          );
        return { ok: true, claims: payload, header: { kid: protectedHeader.kid, alg: protectedHeader.alg } };
      } catch (error) {
        return classify(error, options);
      }
    },
  };
}

function classify(error: unknown, options: HandoffVerifierOptions): HandoffVerdict {
  if (error instanceof errors.JWTExpired)
    return refusal(
      "expired",
      "The token has expired (they live a few minutes). Open the product from the portal again.",
    );
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud")
      return refusal("wrong_audience", `The token is meant for another product, not for ${options.audience}.`);
    if (error.claim === "iss")
      return refusal("wrong_issuer", `The token was not issued by the portal this product trusts (${options.issuer}).`);
    if (error.claim === "typ") return refusal("invalid_claims", "This is not a hand-off token (its type is wrong).");
    return refusal("invalid_claims", `The token's claims are not valid: ${error.message}.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return refusal("bad_signature", "The token's signature does not match its content: it was altered.");
  if (error instanceof errors.JWKSNoMatchingKey)
    return refusal("unknown_key", "The token is signed with a key the portal does not publish.");
  if (error instanceof errors.JOSEAlgNotAllowed)
    return refusal("bad_signature", "The token is signed with an algorithm this product does not accept.");
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return refusal("malformed", "The token is not a well-formed signed JWT.");
  return refusal(
    "keys_unavailable",
    `The portal's public keys could not be read from ${options.jwksUrl} (${error instanceof Error ? error.message : String(error)}). Try again in a moment.`,
  );
}
