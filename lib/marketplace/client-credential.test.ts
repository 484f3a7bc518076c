import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeCertificate, type TestCertificate } from "@/tests/support/certificates";
import { makeTempDir } from "@/tests/support/temp-dirs";
import { parseClientCredential, type ClientCredential, type CredentialVariables } from "./client-credential";

let certificate: TestCertificate;
let other: TestCertificate;
let dir: string;
const file = (name: string, content: string) => {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
};

beforeAll(() => {
  certificate = makeCertificate({ notAfter: new Date("2030-06-30T12:00:00Z") });
  other = makeCertificate();
  dir = makeTempDir("client-credential-");
});

function parsed(variables: CredentialVariables): ClientCredential {
  const result = parseClientCredential(variables);
  if (!result.ok) throw new Error(result.issues.map((issue) => `${issue.variable}: ${issue.message}`).join("\n"));
  return result.credential;
}
function issues(variables: CredentialVariables): string {
  const result = parseClientCredential(variables);
  if (result.ok) throw new Error(`expected a refusal, got a ${result.credential.type} credential`);
  return result.issues.map((issue) => `${issue.variable}: ${issue.message}`).join("\n");
}

describe("which credential", () => {
  it("is inferred from the variables set, or named by MARKETPLACE_CREDENTIAL_TYPE", () => {
    expect(parsed({ MARKETPLACE_CLIENT_SECRET: "s3cret" })).toEqual({ type: "secret", secret: "s3cret" });
    expect(
      parsed({
        MARKETPLACE_CLIENT_CERTIFICATE_PATH: file("both.pem", certificate.certificate + certificate.privateKey),
      }),
    ).toMatchObject({ type: "certificate" });
    expect(parsed({ MARKETPLACE_CREDENTIAL_TYPE: "managed-identity" })).toEqual({
      type: "managed-identity",
      audience: "api://AzureADTokenExchange",
    });
    expect(parsed({ MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID: "EE1D0000-0000-4000-8000-0000000E0002" })).toEqual({
      type: "managed-identity",
      clientId: "ee1d0000-0000-4000-8000-0000000e0002",
      audience: "api://AzureADTokenExchange",
    });
  });

  it("refuses none, naming the ways to configure one", () => {
    expect(issues({})).toMatch(
      /^MARKETPLACE_CLIENT_SECRET: no credential for the fulfillment app: set MARKETPLACE_CLIENT_SECRET, or MARKETPLACE_CLIENT_CERTIFICATE_PATH .* MARKETPLACE_FEDERATED_TOKEN_FILE .* MARKETPLACE_CREDENTIAL_TYPE=managed-identity$/,
    );
    // AKS's variable alone does not choose federation: the pod may use workload identity for other things.
    expect(issues({ AZURE_FEDERATED_TOKEN_FILE: "/var/run/secrets/azure/tokens/azure-identity-token" })).toMatch(
      /no credential/,
    );
  });

  it("refuses two at once, listing both, and a leftover of another type when one is named", () => {
    expect(
      issues({ MARKETPLACE_CLIENT_SECRET: "s", MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath }),
    ).toBe(
      "MARKETPLACE_CREDENTIAL_TYPE: more than one credential is configured (secret: MARKETPLACE_CLIENT_SECRET; certificate: MARKETPLACE_CLIENT_CERTIFICATE_PATH): keep one, or name the one to use in MARKETPLACE_CREDENTIAL_TYPE and remove the others",
    );
    const leftover = issues({
      MARKETPLACE_CREDENTIAL_TYPE: "certificate",
      MARKETPLACE_CLIENT_SECRET: "s",
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: certificate.privateKeyPath,
    });
    expect(leftover).toBe(
      "MARKETPLACE_CLIENT_SECRET: is set, but MARKETPLACE_CREDENTIAL_TYPE is certificate: remove it (or leave it empty) so that only one credential is configured",
    );
    expect(leftover).not.toContain('"s"');
  });
});

describe("a secret", () => {
  it("carries the expiry date Entra showed, and refuses one that is not a date", () => {
    expect(parsed({ MARKETPLACE_CLIENT_SECRET: "s", MARKETPLACE_CLIENT_SECRET_EXPIRES_AT: "2027-03-31" })).toEqual({
      type: "secret",
      secret: "s",
      expiresAt: new Date("2027-03-31T00:00:00Z"),
    });
    expect(
      parsed({ MARKETPLACE_CLIENT_SECRET: "s", MARKETPLACE_CLIENT_SECRET_EXPIRES_AT: "2027-03-31T10:00:00+02:00" }),
    ).toMatchObject({ expiresAt: new Date("2027-03-31T08:00:00Z") });
    expect(issues({ MARKETPLACE_CLIENT_SECRET: "s", MARKETPLACE_CLIENT_SECRET_EXPIRES_AT: "31/03/2027" })).toMatch(
      /^MARKETPLACE_CLIENT_SECRET_EXPIRES_AT: must be a date such as 2027-03-31/,
    );
    expect(issues({ MARKETPLACE_CREDENTIAL_TYPE: "secret" })).toBe(
      "MARKETPLACE_CLIENT_SECRET: is required for a secret credential",
    );
  });
});

describe("a certificate", () => {
  it("reads the certificate and its key (in one file or two), computing the SHA-256 thumbprint and the expiry", () => {
    const sha256 = new X509Certificate(certificate.certificate).fingerprint256.replaceAll(":", "");
    const expected = {
      type: "certificate",
      thumbprint: { algorithm: "sha256", hex: sha256 },
      certificate: {
        path: certificate.certificatePath,
        notAfter: new Date("2030-06-30T12:00:00Z"),
        subject: "CN=test certificate",
      },
    };
    expect(
      parsed({
        MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath,
        MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: certificate.privateKeyPath,
      }),
    ).toMatchObject(expected);
    const combined = file("combined.pem", certificate.privateKey + certificate.certificate);
    expect(parsed({ MARKETPLACE_CLIENT_CERTIFICATE_PATH: combined })).toMatchObject({
      ...expected,
      certificate: { ...expected.certificate, path: combined },
    });
  });

  it("accepts a thumbprint that matches (SHA-1 as Entra shows it, any case, with colons) and refuses one that does not", () => {
    const sha1 = new X509Certificate(certificate.certificate).fingerprint;
    const variables = {
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: certificate.privateKeyPath,
    };
    expect(parsed({ ...variables, MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT: sha1.toLowerCase() })).toMatchObject({
      thumbprint: { algorithm: "sha256" },
    });
    expect(
      issues({
        ...variables,
        MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT: new X509Certificate(other.certificate).fingerprint,
      }),
    ).toBe(
      `MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT: does not match the certificate in ${certificate.certificatePath} (its SHA-1 thumbprint is ${sha1.replaceAll(":", "")}); remove it to use the certificate's own`,
    );
    expect(issues({ ...variables, MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT: "not-hex" })).toMatch(
      /must be the certificate's SHA-1 \(40 hex digits/,
    );
  });

  it("works from the private key and a thumbprint alone (expiry then unknown)", () => {
    const sha1 = new X509Certificate(certificate.certificate).fingerprint.replaceAll(":", "");
    expect(
      parsed({
        MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: certificate.privateKeyPath,
        MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT: sha1,
      }),
    ).toEqual({ type: "certificate", privateKey: expect.anything(), thumbprint: { algorithm: "sha1", hex: sha1 } });
    expect(issues({ MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: certificate.privateKeyPath })).toMatch(
      /^MARKETPLACE_CLIENT_CERTIFICATE_PATH: is required to know the certificate/,
    );
  });

  it("stops on a missing or unreadable file, naming it", () => {
    const missing = path.join(dir, "nowhere", "certificate.pem");
    expect(issues({ MARKETPLACE_CLIENT_CERTIFICATE_PATH: missing })).toBe(
      `MARKETPLACE_CLIENT_CERTIFICATE_PATH: cannot read ${missing}: there is no such file`,
    );
    const folder = path.join(dir, "a-folder");
    mkdirSync(folder, { recursive: true });
    expect(
      issues({
        MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath,
        MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: folder,
      }),
    ).toBe(`MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: cannot read ${folder}: it is a directory`);
    expect(issues({ MARKETPLACE_CLIENT_CERTIFICATE_PATH: file("garbage.pem", "hello") })).toMatch(
      /garbage\.pem holds no PEM certificate/,
    );
  });

  it("refuses a key that is missing, of another certificate, encrypted, or not RSA — never quoting it", () => {
    expect(issues({ MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath })).toBe(
      `MARKETPLACE_CLIENT_CERTIFICATE_PATH: ${certificate.certificatePath} holds no PEM private key (-----BEGIN PRIVATE KEY-----); give it in MARKETPLACE_CLIENT_PRIVATE_KEY_PATH`,
    );
    const mismatch = issues({
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: other.privateKeyPath,
    });
    expect(mismatch).toBe(
      `MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: the private key in ${other.privateKeyPath} does not belong to the certificate in ${certificate.certificatePath}`,
    );
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const encrypted = file(
      "encrypted.pem",
      privateKey.export({ format: "pem", type: "pkcs8", cipher: "aes-256-cbc", passphrase: "pw" }).toString(),
    );
    expect(
      issues({
        MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath,
        MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: encrypted,
      }),
    ).toMatch(/the private key in .*encrypted\.pem is encrypted/);
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" });
    const ecKey = file("ec.pem", ec.toString());
    expect(
      issues({
        MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath,
        MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: ecKey,
      }),
    ).toMatch(/is ec: the portal signs client assertions with RSA keys/);
    expect(mismatch + issues({ MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath })).not.toContain(
      "PRIVATE KEY-----\n",
    );
  });
});

describe("a federated token file", () => {
  it("is checked at start-up: present, not empty, a JWT", () => {
    const token = file("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\n");
    expect(parsed({ MARKETPLACE_FEDERATED_TOKEN_FILE: token })).toEqual({
      type: "federated",
      tokenFile: token,
      variable: "MARKETPLACE_FEDERATED_TOKEN_FILE",
    });
    expect(parsed({ MARKETPLACE_CREDENTIAL_TYPE: "federated", AZURE_FEDERATED_TOKEN_FILE: token })).toMatchObject({
      tokenFile: token,
      variable: "AZURE_FEDERATED_TOKEN_FILE",
    });
    const missing = path.join(dir, "no-token");
    expect(issues({ MARKETPLACE_FEDERATED_TOKEN_FILE: missing })).toBe(
      `MARKETPLACE_FEDERATED_TOKEN_FILE: cannot read ${missing}: there is no such file`,
    );
    expect(issues({ MARKETPLACE_FEDERATED_TOKEN_FILE: file("empty", " \n") })).toMatch(/empty is empty/);
    expect(issues({ MARKETPLACE_FEDERATED_TOKEN_FILE: file("not-jwt", "hello") })).toMatch(/does not hold a JWT/);
    expect(issues({ MARKETPLACE_CREDENTIAL_TYPE: "federated" })).toMatch(
      /^MARKETPLACE_FEDERATED_TOKEN_FILE: is required for a federated credential/,
    );
  });
});

describe("a managed identity", () => {
  it("refuses a user-assigned client id that is not a GUID", () => {
    expect(issues({ MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID: "portal-identity" })).toMatch(
      /^MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID: must be the user-assigned managed identity's client id/,
    );
  });
});
