/**
 * The client assertion the fulfillment app sends instead of a secret
 * (`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`), for both
 * token paths (MSAL and the loopback one), made fresh for every token request:
 *
 * - certificate: a JWT signed with the private key (PS256, `x5t#S256` = the certificate's SHA-256
 *   thumbprint; RS256 + `x5t` when only a SHA-1 thumbprint is known), `aud` = the token endpoint,
 *   `iss` = `sub` = the client id, a new `jti`, valid ten minutes — as Entra's certificate
 *   credentials page describes. Signed here rather than by MSAL's clientCertificate, which re-sends
 *   one assertion (same jti) for ten minutes and exists only on the MSAL path (docs/decisions/0016);
 * - federated: the token file's content, read again each time (the platform renews it);
 * - managed identity: a token of the host's managed identity for `api://AzureADTokenExchange`,
 *   from MSAL's ManagedIdentityApplication (App Service, IMDS, …; it caches and renews it).
 *
 * Errors never contain the assertion or key material.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { LogLevel, ManagedIdentityApplication } from "@azure/msal-node";
import { SignJWT } from "jose";
import type { ClientCredential } from "./client-credential";

export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const ASSERTION_LIFETIME_SECONDS = 600;

/** A credential that could not be turned into an assertion (the token file went missing, …); its message names the cause. */
export class ClientAssertionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ClientAssertionError";
  }
}
export const isClientAssertionError = (error: unknown): error is ClientAssertionError =>
  error instanceof Error && error.name === "ClientAssertionError";

/** `tokenEndpoint`: the assertion's audience, the URL the token request goes to. */
export type ClientAssertionSource = (tokenEndpoint: string) => Promise<string>;

/** The secret, or where assertions come from: what both token paths authenticate with. */
export type ClientAuthentication = { secret: string } | { assertion: ClientAssertionSource };

export function clientAssertionSource(
  credential: Exclude<ClientCredential, { type: "secret" }>,
  clientId: string,
): ClientAssertionSource {
  switch (credential.type) {
    case "certificate": {
      const header =
        credential.thumbprint.algorithm === "sha256"
          ? {
              alg: "PS256",
              typ: "JWT",
              "x5t#S256": Buffer.from(credential.thumbprint.hex, "hex").toString("base64url"),
            }
          : { alg: "RS256", typ: "JWT", x5t: Buffer.from(credential.thumbprint.hex, "hex").toString("base64url") };
      return async (tokenEndpoint) => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ jti: randomUUID() })
          .setProtectedHeader(header)
          .setIssuer(clientId)
          .setSubject(clientId)
          .setAudience(tokenEndpoint)
          .setIssuedAt(now)
          .setNotBefore(now)
          .setExpirationTime(now + ASSERTION_LIFETIME_SECONDS)
          .sign(credential.privateKey);
      };
    }
    case "federated":
      return async () => {
        let token: string;
        try {
          token = (await readFile(credential.tokenFile, "utf8")).trim();
        } catch (cause) {
          const code = (cause as NodeJS.ErrnoException).code;
          throw new ClientAssertionError(
            `The federated token file ${credential.tokenFile} (${credential.variable}) cannot be read (${code === "ENOENT" ? "there is no such file" : (code ?? "unknown error")}).`,
          );
        }
        if (!token) throw new ClientAssertionError(`The federated token file ${credential.tokenFile} is empty.`);
        return token;
      };
    case "managed-identity": {
      const identity = new ManagedIdentityApplication({
        ...(credential.clientId ? { managedIdentityIdParams: { userAssignedClientId: credential.clientId } } : {}),
        system: { loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} } },
      });
      return async () => {
        try {
          const result = await identity.acquireToken({ resource: credential.audience });
          return result.accessToken;
        } catch (cause) {
          const code = typeof cause === "object" && cause && "errorCode" in cause ? String(cause.errorCode) : "unknown";
          throw new ClientAssertionError(
            `The managed identity${credential.clientId ? ` ${credential.clientId}` : ""} gave no token for ${credential.audience} (${code}): is a managed identity assigned to this host?`,
            { cause },
          );
        }
      };
    }
  }
}
