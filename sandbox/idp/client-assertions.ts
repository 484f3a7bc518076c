/**
 * Client assertions (`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`)
 * at the token endpoint, checked as Entra ID checks them:
 *
 * - a **certificate assertion** (`private_key_jwt`): `iss` = `sub` = the client id, signed with
 *   the private key of a certificate registered on the app, which the header names by thumbprint
 *   (`x5t#S256`, or SHA-1 `x5t`); `aud` = this tenant's token endpoint; within `nbf`–`exp`; a `jti`
 *   the sandbox has not seen before (Entra documents no replay check; the sandbox is stricter,
 *   docs/decisions/0016);
 * - a **federated assertion** (workload identity federation): a token of an external issuer the
 *   app trusts (Entra's *Federated credentials*: issuer, subject and audience, matched exactly),
 *   signed with a key that issuer publishes, within its lifetime.
 *
 * Refusals carry Entra's AADSTS codes (entra-errors.ts).
 */
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import type { DirectoryApp, DirectoryFederatedCredential, Tenant } from "../types";
import { keyWindow, type AppCertificates } from "./app-certificates";
import type { EntraError, EntraErrorCatalog } from "./entra-errors";
import type { EntraUrls } from "./entra-urls";

export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** Entra tolerates clocks a few minutes apart. */
const CLOCK_SKEW_SECONDS = 300;

export interface ClientAssertionDeps {
  urls: EntraUrls;
  errors: EntraErrorCatalog;
  certificates: AppCertificates;
  /** The app's federated credentials, with `{sandbox}` already replaced by the origin. */
  federatedCredentials(app: DirectoryApp): DirectoryFederatedCredential[];
  /** Public keys of an issuer federated credentials may name (the sandbox's own issuers only). */
  issuerKeys(issuer: string): JSONWebKeySet | undefined;
  replays: AssertionReplayCache;
}

export type AssertionCheck = { ok: true } | { ok: false; error: EntraError };

/** `jti`s of accepted certificate assertions, until they expire. */
export class AssertionReplayCache {
  private readonly seen = new Map<string, number>();

  /** True when this jti was accepted before and has not expired; otherwise remembers it. */
  replayed(clientId: string, jti: string, expiresAtMs: number, nowMs = Date.now()): boolean {
    const key = `${clientId.toLowerCase()} ${jti}`;
    const known = this.seen.get(key);
    if (known !== undefined && known >= nowMs) return true;
    if (this.seen.size > 10_000) {
      for (const [entry, until] of this.seen) if (until < nowMs) this.seen.delete(entry);
    }
    this.seen.set(key, expiresAtMs + CLOCK_SKEW_SECONDS * 1000);
    return false;
  }
}

const audiences = (aud: unknown): string[] =>
  typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud.filter((a): a is string => typeof a === "string") : [];

const base64urlToHex = (value: string) => Buffer.from(value, "base64url").toString("hex").toUpperCase();

function timeRange(
  errors: EntraErrorCatalog,
  claims: { nbf?: number; exp?: number },
  now: Date,
): EntraError | undefined {
  const nowSeconds = now.getTime() / 1000;
  if (typeof claims.exp !== "number") return errors.malformedAssertion("The 'exp' claim is missing.");
  if (nowSeconds > claims.exp + CLOCK_SKEW_SECONDS || (claims.nbf ?? 0) > nowSeconds + CLOCK_SKEW_SECONDS) {
    return errors.assertionTimeRange(now, new Date((claims.nbf ?? 0) * 1000), new Date(claims.exp * 1000));
  }
  return undefined;
}

export async function verifyClientAssertion(
  deps: ClientAssertionDeps,
  request: { tenant: Tenant; app: DirectoryApp; assertion: string; now?: Date },
): Promise<AssertionCheck> {
  const { errors } = deps;
  const now = request.now ?? new Date();
  const fail = (error: EntraError): AssertionCheck => ({ ok: false, error });
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(request.assertion);
    claims = decodeJwt(request.assertion);
  } catch {
    return fail(errors.malformedAssertion("The client assertion is not a signed JWT."));
  }
  const isCertificateAssertion = claims.iss?.toLowerCase() === request.app.clientId.toLowerCase();
  const error = isCertificateAssertion
    ? await checkCertificateAssertion(deps, request, header, claims, now)
    : await checkFederatedAssertion(deps, request, claims, now);
  return error ? fail(error) : { ok: true };
}

async function checkCertificateAssertion(
  deps: ClientAssertionDeps,
  request: { tenant: Tenant; app: DirectoryApp; assertion: string },
  header: ReturnType<typeof decodeProtectedHeader>,
  claims: ReturnType<typeof decodeJwt>,
  now: Date,
): Promise<EntraError | undefined> {
  const { errors, urls } = deps;
  const { app, tenant } = request;
  const x5tS256 = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
  const x5t = typeof header.x5t === "string" ? header.x5t : undefined;
  const presented = base64urlToHex(x5tS256 ?? x5t ?? "");
  const certificate = deps.certificates.find(app.clientId, { x5t, x5tS256 });
  if (!certificate) return errors.certificateNotFound(app.clientId, presented);
  if (certificate.notAfter <= now || certificate.notBefore > now)
    return errors.certificateExpired(presented, keyWindow(certificate));
  try {
    await compactVerify(request.assertion, certificate.publicKey, { algorithms: ["RS256", "PS256"] });
  } catch {
    return errors.assertionSignatureInvalid(presented, keyWindow(certificate));
  }
  const tokenEndpoints = [tenant.id, tenant.domain].flatMap((segment) =>
    [urls.token(segment), urls.tokenV1(segment)].map((url) => url.toLowerCase()),
  );
  if (!audiences(claims.aud).some((aud) => tokenEndpoints.includes(aud.toLowerCase())))
    return errors.assertionAudience();
  if (claims.sub?.toLowerCase() !== app.clientId.toLowerCase()) return errors.assertionClientMismatch();
  const outOfRange = timeRange(errors, claims, now);
  if (outOfRange) return outOfRange;
  if (typeof claims.jti !== "string" || claims.jti === "")
    return errors.malformedAssertion("The 'jti' claim is missing.");
  if (deps.replays.replayed(app.clientId, claims.jti, (claims.exp ?? 0) * 1000, now.getTime()))
    return errors.assertionReplayed(claims.jti);
  return undefined;
}

async function checkFederatedAssertion(
  deps: ClientAssertionDeps,
  request: { app: DirectoryApp; assertion: string },
  claims: ReturnType<typeof decodeJwt>,
  now: Date,
): Promise<EntraError | undefined> {
  const { errors } = deps;
  const issuer = claims.iss ?? "";
  const trusted = deps.federatedCredentials(request.app).filter((credential) => credential.issuer === issuer);
  if (trusted.length === 0) return errors.federatedIssuerUnknown(issuer);
  const keys = deps.issuerKeys(issuer);
  if (!keys) return errors.federatedKeyNotFound("(none published)", issuer);
  try {
    await compactVerify(request.assertion, createLocalJWKSet(keys), { algorithms: ["RS256", "PS256", "ES256"] });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_JWKS_NO_MATCHING_KEY" || code === "ERR_JWKS_MULTIPLE_MATCHING_KEYS")
      return errors.federatedKeyNotFound(String(decodeProtectedHeader(request.assertion).kid ?? "(no kid)"), issuer);
    return errors.federatedSignatureInvalid(issuer);
  }
  const outOfRange = timeRange(errors, claims, now);
  if (outOfRange) return outOfRange;
  // Case-sensitive, as Entra matches since 2024.
  const bySubject = trusted.filter((credential) => credential.subject === claims.sub);
  if (bySubject.length === 0) return errors.federatedSubjectUnknown(claims.sub ?? "");
  const presented = audiences(claims.aud);
  if (!bySubject.some((credential) => credential.audiences.some((aud) => presented.includes(aud))))
    return errors.federatedAudienceUnknown(presented.join(", "));
  return undefined;
}
