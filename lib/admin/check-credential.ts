import "server-only";
import { readFile } from "node:fs/promises";
import { decodeJwt } from "jose";
import type { ClientCredential } from "../marketplace/client-credential";
import { assessCredentialExpiry } from "./assess-credential-expiry";
import type { HealthCheck } from "./check-health";

const RENEW_SECRET =
  "Create a new secret under App registrations → the fulfillment app → Certificates & secrets, set MARKETPLACE_CLIENT_SECRET and MARKETPLACE_CLIENT_SECRET_EXPIRES_AT, and restart the portal.";
const RENEW_CERTIFICATE =
  "Upload a new certificate under App registrations → the fulfillment app → Certificates & secrets, point MARKETPLACE_CLIENT_CERTIFICATE_PATH (and the key) at it, and restart the portal.";

/**
 * The fulfillment app's credential as the health check shows it: its type and, for secrets and
 * certificates, the expiry date (configured, or the certificate's notAfter) with a warning 30 days
 * ahead and a failure once it has passed; for a federated credential, whether the token file is
 * there and still fresh. Nothing secret in it: a thumbprint and a file path at most. `code` (with
 * the fields it needs) lets the console word it in the reader's language; a secret's or
 * certificate's expiry is worded from its status, `expiresAt` and `daysLeft`.
 */
export async function checkCredential(credential: ClientCredential, now = new Date()): Promise<HealthCheck> {
  switch (credential.type) {
    case "secret": {
      if (!credential.expiresAt)
        return {
          status: "ok",
          type: "secret",
          code: "credential_secret_no_expiry",
          message:
            "A client secret. Its expiry date is not configured: set MARKETPLACE_CLIENT_SECRET_EXPIRES_AT (the date Entra shows) to be warned 30 days ahead.",
        };
      const expiry = assessCredentialExpiry({
        what: "The client secret",
        expiresAt: credential.expiresAt,
        now,
        renew: RENEW_SECRET,
      });
      return { type: "secret", ...expiry };
    }
    case "certificate": {
      const thumbprint = credential.thumbprint.hex;
      if (!credential.certificate)
        return {
          status: "ok",
          type: "certificate",
          thumbprint,
          code: "credential_certificate_unknown_expiry",
          message:
            "A certificate, known by its thumbprint only: its expiry is not known. Set MARKETPLACE_CLIENT_CERTIFICATE_PATH to the certificate to be warned 30 days ahead.",
        };
      // The thumbprint is a field of its own (and on the admin page), not repeated in the sentence.
      const what = "The certificate";
      if (credential.certificate.notBefore > now)
        return {
          status: "error",
          type: "certificate",
          thumbprint,
          expiresAt: credential.certificate.notAfter.toISOString(),
          code: "credential_certificate_not_yet_valid",
          notBefore: credential.certificate.notBefore.toISOString(),
          message: `${what} is not valid before ${credential.certificate.notBefore.toISOString()}: Entra ID refuses it until then.`,
        };
      const expiry = assessCredentialExpiry({
        what,
        expiresAt: credential.certificate.notAfter,
        now,
        renew: RENEW_CERTIFICATE,
      });
      return { type: "certificate", thumbprint, ...expiry };
    }
    case "federated": {
      let expiresAt: Date | undefined;
      try {
        const exp = decodeJwt((await readFile(credential.tokenFile, "utf8")).trim()).exp;
        expiresAt = exp === undefined ? undefined : new Date(exp * 1000);
      } catch {
        return {
          status: "error",
          type: "federated",
          tokenFile: credential.tokenFile,
          code: "credential_federated_unreadable",
          message: `The federated token file ${credential.tokenFile} cannot be read or holds no token: the portal cannot authenticate. Check that the platform (Kubernetes, the CI runner) still mounts and renews it.`,
        };
      }
      if (expiresAt && expiresAt <= now)
        return {
          status: "error",
          type: "federated",
          tokenFile: credential.tokenFile,
          expiresAt: expiresAt.toISOString(),
          code: "credential_federated_expired",
          message: `The token in ${credential.tokenFile} expired at ${expiresAt.toISOString()}: the platform that writes it is not renewing it, so Entra ID refuses it.`,
        };
      return {
        status: "ok",
        type: "federated",
        tokenFile: credential.tokenFile,
        ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
        code: "credential_federated_ok",
        message: `A federated credential: the token in ${credential.tokenFile}, which the platform renews. Nothing to renew by hand.`,
      };
    }
    case "managed-identity":
      return {
        status: "ok",
        type: "managed-identity",
        code: credential.clientId ? "credential_managed_identity_user" : "credential_managed_identity_system",
        ...(credential.clientId ? { clientId: credential.clientId } : {}),
        message: `The host's ${credential.clientId ? `user-assigned managed identity ${credential.clientId}` : "system-assigned managed identity"}, trusted by the app as a federated credential. Nothing to renew by hand.`,
      };
  }
}
