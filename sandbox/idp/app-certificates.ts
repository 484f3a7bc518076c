/**
 * Certificates registered on apps, as an admin uploads them in Entra (App registration →
 * Certificates & secrets → Certificates): the public part only. A client assertion names its
 * certificate by thumbprint in the JWT header (`x5t#S256`, or the older SHA-1 `x5t`), and is
 * verified with that certificate's public key.
 *
 * For an app with `sandboxCertificate` the sandbox also makes the certificate itself, with its
 * private key, so the portal can use certificate credentials locally without any set-up.
 */
import { execFileSync } from "node:child_process";
import { createHash, X509Certificate, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface RegisteredCertificate {
  /** SHA-1 of the DER, upper-case hex: what the Entra admin center shows as the thumbprint. */
  thumbprint: string;
  /** base64url SHA-1 of the DER (`x5t`). */
  x5t: string;
  /** base64url SHA-256 of the DER (`x5t#S256`). */
  x5tS256: string;
  publicKey: KeyObject;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export class InvalidCertificateError extends Error {}

export function describeCertificate(pem: string): RegisteredCertificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new InvalidCertificateError("This is not a PEM-encoded X.509 certificate (-----BEGIN CERTIFICATE-----).");
  }
  const der = certificate.raw;
  return {
    thumbprint: createHash("sha1").update(der).digest("hex").toUpperCase(),
    x5t: createHash("sha1").update(der).digest("base64url"),
    x5tS256: createHash("sha256").update(der).digest("base64url"),
    publicKey: certificate.publicKey,
    subject: certificate.subject,
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
  };
}

/** Entra's "Found key 'Start=…, End=…'" text of a certificate. */
export function keyWindow(certificate: RegisteredCertificate): string {
  return `Start=${certificate.notBefore.toISOString()}, End=${certificate.notAfter.toISOString()}`;
}

export class AppCertificates {
  private readonly byApp = new Map<string, RegisteredCertificate[]>();

  register(clientId: string, pem: string): RegisteredCertificate {
    const certificate = describeCertificate(pem);
    const list = this.byApp.get(clientId.toLowerCase()) ?? [];
    if (!list.some((known) => known.x5tS256 === certificate.x5tS256)) list.push(certificate);
    this.byApp.set(clientId.toLowerCase(), list);
    return certificate;
  }

  list(clientId: string): RegisteredCertificate[] {
    return this.byApp.get(clientId.toLowerCase()) ?? [];
  }

  /** The app's certificate with this `x5t#S256` or `x5t` (base64url) header value. */
  find(clientId: string, thumbprints: { x5t?: string; x5tS256?: string }): RegisteredCertificate | undefined {
    return this.list(clientId).find(
      (certificate) =>
        (thumbprints.x5tS256 !== undefined && certificate.x5tS256 === thumbprints.x5tS256) ||
        (thumbprints.x5t !== undefined && certificate.x5t === thumbprints.x5t),
    );
  }
}

export interface SandboxCertificateFiles {
  certificatePath: string;
  privateKeyPath: string;
  pem: string;
}

/**
 * `<dataDir>/<name>/certificate.pem` and `private-key.pem`: a self-signed RSA-2048 certificate,
 * valid a year, made with openssl (as the sandbox's TLS files are) when missing or expired.
 */
export function ensureSandboxCertificate(dataDir: string, name: string, commonName: string): SandboxCertificateFiles {
  const dir = path.join(dataDir, name);
  const certificatePath = path.join(dir, "certificate.pem");
  const privateKeyPath = path.join(dir, "private-key.pem");
  const current =
    existsSync(certificatePath) && existsSync(privateKeyPath) ? readFileSync(certificatePath, "utf8") : undefined;
  if (current && describeCertificate(current).notAfter.getTime() > Date.now()) {
    return { certificatePath, privateKeyPath, pem: current };
  }
  mkdirSync(dir, { recursive: true });
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "private-key.pem",
      "-out",
      "certificate.pem",
      "-days",
      "365",
      "-subj",
      `/CN=${commonName.replace(/[/=]/g, " ")}`,
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "pipe"] },
  );
  return { certificatePath, privateKeyPath, pem: readFileSync(certificatePath, "utf8") };
}
