/**
 * How the fulfillment app proves who it is to Entra ID (docs/decisions/0016), read from the
 * marketplace section of lib/env.ts at start-up:
 *
 * - `secret`: a client secret (MARKETPLACE_CLIENT_SECRET), optionally with the expiry date Entra
 *   showed when it was created (MARKETPLACE_CLIENT_SECRET_EXPIRES_AT) so the health check warns;
 * - `certificate`: a PEM certificate and its private key; the portal signs a client assertion
 *   (`private_key_jwt`) naming the certificate by its SHA-256 thumbprint;
 * - `federated`: a token another issuer writes to a file (Kubernetes workload identity, a CI
 *   runner's OIDC token), read again for every token request;
 * - `managed-identity`: the Azure managed identity of the host, trusted by the app as a federated
 *   credential.
 *
 * Exactly one is configured: MARKETPLACE_CREDENTIAL_TYPE names it, or the variables set say which.
 * Files are read here, once, so a missing or unreadable one stops the boot naming it. Nothing in
 * this module's messages repeats a secret or key material.
 */
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

export const CREDENTIAL_TYPES = ["secret", "certificate", "federated", "managed-identity"] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];
export const DEFAULT_FEDERATION_AUDIENCE = "api://AzureADTokenExchange";

export interface CertificateDetails {
  path: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export type ClientCredential =
  | { type: "secret"; secret: string; expiresAt?: Date }
  | {
      type: "certificate";
      privateKey: KeyObject;
      /** Upper-case hex; SHA-256 when known (always with a certificate file), else the SHA-1 given. */
      thumbprint: { algorithm: "sha256" | "sha1"; hex: string };
      /** Absent when only a thumbprint was given: the expiry is then not known. */
      certificate?: CertificateDetails;
    }
  | { type: "federated"; tokenFile: string; variable: string }
  | { type: "managed-identity"; clientId?: string; audience: string };

/** The variables that configure the credential (empty strings already removed). */
export interface CredentialVariables {
  MARKETPLACE_CREDENTIAL_TYPE?: CredentialType;
  MARKETPLACE_CLIENT_SECRET?: string;
  MARKETPLACE_CLIENT_SECRET_EXPIRES_AT?: string;
  MARKETPLACE_CLIENT_CERTIFICATE_PATH?: string;
  MARKETPLACE_CLIENT_PRIVATE_KEY_PATH?: string;
  MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT?: string;
  MARKETPLACE_FEDERATED_TOKEN_FILE?: string;
  /** Set by AKS's workload-identity webhook; used only with MARKETPLACE_CREDENTIAL_TYPE=federated. */
  AZURE_FEDERATED_TOKEN_FILE?: string;
  MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID?: string;
  MARKETPLACE_MANAGED_IDENTITY_AUDIENCE?: string;
}
type Variable = Exclude<keyof CredentialVariables, "MARKETPLACE_CREDENTIAL_TYPE" | "AZURE_FEDERATED_TOKEN_FILE">;

const VARIABLES: Record<CredentialType, Variable[]> = {
  secret: ["MARKETPLACE_CLIENT_SECRET", "MARKETPLACE_CLIENT_SECRET_EXPIRES_AT"],
  certificate: [
    "MARKETPLACE_CLIENT_CERTIFICATE_PATH",
    "MARKETPLACE_CLIENT_PRIVATE_KEY_PATH",
    "MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT",
  ],
  federated: ["MARKETPLACE_FEDERATED_TOKEN_FILE"],
  "managed-identity": ["MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID", "MARKETPLACE_MANAGED_IDENTITY_AUDIENCE"],
};

export interface CredentialIssue {
  variable: string;
  message: string;
}
export type CredentialParse = { ok: true; credential: ClientCredential } | { ok: false; issues: CredentialIssue[] };

class CredentialFileError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/** Why a file cannot be read, in words, naming it (never its content). */
function readText(variable: string, file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "there is no such file"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : code === "EISDIR"
            ? "it is a directory"
            : `it cannot be read (${code ?? "unknown error"})`;
    throw new CredentialFileError(variable, `cannot read ${file}: ${why}`);
  }
}

/** Hex without separators, upper case; `AB:CD …` and `ab cd …` as the portals show them are accepted. */
const normalizeThumbprint = (text: string) => text.replace(/[\s:]/g, "").toUpperCase();

function readCertificate(variables: CredentialVariables): Extract<ClientCredential, { type: "certificate" }> {
  const certificatePath = variables.MARKETPLACE_CLIENT_CERTIFICATE_PATH;
  const keyVariable = variables.MARKETPLACE_CLIENT_PRIVATE_KEY_PATH
    ? "MARKETPLACE_CLIENT_PRIVATE_KEY_PATH"
    : "MARKETPLACE_CLIENT_CERTIFICATE_PATH";
  const keyPath = variables.MARKETPLACE_CLIENT_PRIVATE_KEY_PATH ?? certificatePath;
  const given = variables.MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT;
  if (!keyPath)
    throw new CredentialFileError(
      "MARKETPLACE_CLIENT_CERTIFICATE_PATH",
      "is required for a certificate credential (the PEM certificate; its private key in the same file or in MARKETPLACE_CLIENT_PRIVATE_KEY_PATH)",
    );

  let certificate: X509Certificate | undefined;
  if (certificatePath) {
    const text = readText("MARKETPLACE_CLIENT_CERTIFICATE_PATH", certificatePath);
    try {
      certificate = new X509Certificate(text);
    } catch {
      throw new CredentialFileError(
        "MARKETPLACE_CLIENT_CERTIFICATE_PATH",
        `${certificatePath} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
      );
    }
  }

  const keyText = readText(keyVariable, keyPath);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(keyText);
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(keyText) || /passphrase/i.test(String((error as Error).message));
    throw new CredentialFileError(
      keyVariable,
      encrypted
        ? `the private key in ${keyPath} is encrypted: store it unencrypted where only the portal can read it (e.g. \`openssl pkey -in key.pem -out plain.pem\`)`
        : `${keyPath} holds no PEM private key (-----BEGIN PRIVATE KEY-----)${keyVariable === "MARKETPLACE_CLIENT_CERTIFICATE_PATH" ? "; give it in MARKETPLACE_CLIENT_PRIVATE_KEY_PATH" : ""}`,
    );
  }
  if (privateKey.asymmetricKeyType !== "rsa")
    throw new CredentialFileError(
      keyVariable,
      `the private key in ${keyPath} is ${privateKey.asymmetricKeyType ?? "not asymmetric"}: the portal signs client assertions with RSA keys (PS256)`,
    );
  if (certificate && !certificate.checkPrivateKey(privateKey))
    throw new CredentialFileError(
      keyVariable,
      `the private key in ${keyPath} does not belong to the certificate in ${certificatePath}`,
    );

  let thumbprint: { algorithm: "sha256" | "sha1"; hex: string } | undefined;
  if (given !== undefined) {
    const hex = normalizeThumbprint(given);
    if (!/^([0-9A-F]{40}|[0-9A-F]{64})$/.test(hex))
      throw new CredentialFileError(
        "MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT",
        "must be the certificate's SHA-1 (40 hex digits, as Entra's Certificates & secrets shows it) or SHA-256 (64 hex digits) thumbprint",
      );
    thumbprint = { algorithm: hex.length === 64 ? "sha256" : "sha1", hex };
  }
  if (certificate) {
    const sha256 = createHash("sha256").update(certificate.raw).digest("hex").toUpperCase();
    const sha1 = createHash("sha1").update(certificate.raw).digest("hex").toUpperCase();
    if (thumbprint && thumbprint.hex !== (thumbprint.algorithm === "sha256" ? sha256 : sha1))
      throw new CredentialFileError(
        "MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT",
        `does not match the certificate in ${certificatePath} (its SHA-1 thumbprint is ${sha1}); remove it to use the certificate's own`,
      );
    return {
      type: "certificate",
      privateKey,
      thumbprint: { algorithm: "sha256", hex: sha256 },
      certificate: {
        path: certificatePath ?? "",
        subject: certificate.subject,
        notBefore: new Date(certificate.validFrom),
        notAfter: new Date(certificate.validTo),
      },
    };
  }
  if (!thumbprint)
    throw new CredentialFileError(
      "MARKETPLACE_CLIENT_CERTIFICATE_PATH",
      "is required to know the certificate (or give its thumbprint in MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT)",
    );
  return { type: "certificate", privateKey, thumbprint };
}

function readFederated(variables: CredentialVariables): Extract<ClientCredential, { type: "federated" }> {
  const variable = variables.MARKETPLACE_FEDERATED_TOKEN_FILE
    ? "MARKETPLACE_FEDERATED_TOKEN_FILE"
    : "AZURE_FEDERATED_TOKEN_FILE";
  const tokenFile = variables.MARKETPLACE_FEDERATED_TOKEN_FILE ?? variables.AZURE_FEDERATED_TOKEN_FILE;
  if (!tokenFile)
    throw new CredentialFileError(
      "MARKETPLACE_FEDERATED_TOKEN_FILE",
      "is required for a federated credential (the file the platform writes its token to; AZURE_FEDERATED_TOKEN_FILE is used when set)",
    );
  const token = readText(variable, tokenFile).trim();
  if (token === "")
    throw new CredentialFileError(variable, `${tokenFile} is empty: it should hold the platform's token`);
  if (token.split(".").length !== 3)
    throw new CredentialFileError(variable, `${tokenFile} does not hold a JWT (three dot-separated parts)`);
  return { type: "federated", tokenFile, variable };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseExpiry(text: string): Date {
  const date = new Date(text);
  if (
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ||
    isNaN(date.getTime())
  )
    throw new CredentialFileError(
      "MARKETPLACE_CLIENT_SECRET_EXPIRES_AT",
      "must be a date such as 2027-03-31 (or an ISO date-time): the expiry Entra shows for the secret",
    );
  return date;
}

/** Which credential the variables configure, read and checked; or every problem, each naming its variable. */
export function parseClientCredential(variables: CredentialVariables): CredentialParse {
  const setOf = (type: CredentialType) => VARIABLES[type].filter((name) => variables[name] !== undefined);
  const explicit = variables.MARKETPLACE_CREDENTIAL_TYPE;
  const configured = CREDENTIAL_TYPES.filter((type) => setOf(type).length > 0);
  const issues: CredentialIssue[] = [];

  let type: CredentialType;
  if (explicit) {
    type = explicit;
    for (const other of CREDENTIAL_TYPES.filter((candidate) => candidate !== explicit))
      for (const name of setOf(other))
        issues.push({
          variable: name,
          message: `is set, but MARKETPLACE_CREDENTIAL_TYPE is ${explicit}: remove it (or leave it empty) so that only one credential is configured`,
        });
  } else if (configured.length === 1 && configured[0]) {
    type = configured[0];
  } else if (configured.length === 0) {
    return {
      ok: false,
      issues: [
        {
          variable: "MARKETPLACE_CLIENT_SECRET",
          message:
            "no credential for the fulfillment app: set MARKETPLACE_CLIENT_SECRET, or MARKETPLACE_CLIENT_CERTIFICATE_PATH (certificate), or MARKETPLACE_FEDERATED_TOKEN_FILE (federated), or MARKETPLACE_CREDENTIAL_TYPE=managed-identity",
        },
      ],
    };
  } else {
    return {
      ok: false,
      issues: [
        {
          variable: "MARKETPLACE_CREDENTIAL_TYPE",
          message: `more than one credential is configured (${configured.map((candidate) => `${candidate}: ${setOf(candidate).join(", ")}`).join("; ")}): keep one, or name the one to use in MARKETPLACE_CREDENTIAL_TYPE and remove the others`,
        },
      ],
    };
  }
  if (issues.length > 0) return { ok: false, issues };

  try {
    switch (type) {
      case "secret": {
        if (!variables.MARKETPLACE_CLIENT_SECRET)
          throw new CredentialFileError("MARKETPLACE_CLIENT_SECRET", "is required for a secret credential");
        const expiresText = variables.MARKETPLACE_CLIENT_SECRET_EXPIRES_AT;
        return {
          ok: true,
          credential: {
            type,
            secret: variables.MARKETPLACE_CLIENT_SECRET,
            ...(expiresText ? { expiresAt: parseExpiry(expiresText) } : {}),
          },
        };
      }
      case "certificate":
        return { ok: true, credential: readCertificate(variables) };
      case "federated":
        return { ok: true, credential: readFederated(variables) };
      case "managed-identity": {
        const clientId = variables.MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID;
        if (clientId !== undefined && !GUID.test(clientId))
          throw new CredentialFileError(
            "MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID",
            "must be the user-assigned managed identity's client id (a GUID); leave it empty for the system-assigned identity",
          );
        return {
          ok: true,
          credential: {
            type,
            ...(clientId ? { clientId: clientId.toLowerCase() } : {}),
            audience: variables.MARKETPLACE_MANAGED_IDENTITY_AUDIENCE ?? DEFAULT_FEDERATION_AUDIENCE,
          },
        };
      }
    }
  } catch (error) {
    if (error instanceof CredentialFileError)
      return { ok: false, issues: [{ variable: error.variable, message: error.message }] };
    throw error;
  }
}

/** What to look at when Entra refuses the credential, in the operator's words. */
export function credentialHint(credential: ClientCredential): string {
  switch (credential.type) {
    case "secret":
      return "Check MARKETPLACE_TENANT_ID, MARKETPLACE_CLIENT_ID and MARKETPLACE_CLIENT_SECRET (the secret's value, not its id, and not expired).";
    case "certificate":
      return `Check MARKETPLACE_TENANT_ID, MARKETPLACE_CLIENT_ID, and that the certificate (${credential.thumbprint.algorithm === "sha256" ? "SHA-256" : "SHA-1"} thumbprint ${credential.thumbprint.hex}) is uploaded to the app registration and not expired.`;
    case "federated":
      return `Check MARKETPLACE_TENANT_ID, MARKETPLACE_CLIENT_ID, the app's federated credential (issuer, subject and audience of the token in ${credential.tokenFile}) and that the platform keeps that file fresh.`;
    case "managed-identity":
      return "Check MARKETPLACE_TENANT_ID, MARKETPLACE_CLIENT_ID, that this host has the managed identity, and that the app registration trusts it as a federated credential (issuer https://login.microsoftonline.com/{tenant}/v2.0, subject = the identity's object id).";
  }
}
