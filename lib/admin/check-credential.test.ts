import { generateKeyPairSync } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "@/tests/support/temp-dirs";
import { checkCredential } from "./check-credential";

const now = new Date("2026-11-25T12:00:00Z");
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const thumbprint = { algorithm: "sha256" as const, hex: "AB".repeat(32) };
const certificate = (notAfter: string, notBefore = "2026-01-01T00:00:00Z") => ({
  type: "certificate" as const,
  privateKey,
  thumbprint,
  certificate: {
    path: "/etc/portal/cert.pem",
    subject: "CN=portal",
    notBefore: new Date(notBefore),
    notAfter: new Date(notAfter),
  },
});
/** An unsigned JWT with this exp: the check reads only the expiry. */
const jwt = (exp: number) =>
  `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ exp })).toString("base64url")}.`;

describe("checkCredential", () => {
  it("shows a secret's type, and its configured expiry with the 30-day warning", async () => {
    expect(await checkCredential({ type: "secret", secret: "s3cret" }, now)).toMatchObject({
      status: "ok",
      type: "secret",
      message: expect.stringContaining("set MARKETPLACE_CLIENT_SECRET_EXPIRES_AT"),
    });
    const soon = await checkCredential({ type: "secret", secret: "s3cret", expiresAt: new Date("2026-12-10") }, now);
    expect(soon).toMatchObject({ status: "warn", type: "secret", expiresAt: "2026-12-10T00:00:00.000Z", daysLeft: 15 });
    const expired = await checkCredential({ type: "secret", secret: "s3cret", expiresAt: new Date("2026-11-01") }, now);
    expect(expired).toMatchObject({
      status: "error",
      message: expect.stringMatching(/^The client secret expired on 1 November 2026/),
    });
    expect(JSON.stringify([soon, expired])).not.toContain("s3cret");
  });

  it("reads a certificate's expiry from its notAfter, and names it by thumbprint", async () => {
    expect(await checkCredential(certificate("2027-06-30T00:00:00Z"), now)).toMatchObject({
      status: "ok",
      type: "certificate",
      thumbprint: thumbprint.hex,
      expiresAt: "2027-06-30T00:00:00.000Z",
    });
    expect(await checkCredential(certificate("2026-12-20T00:00:00Z"), now)).toMatchObject({
      status: "warn",
      message: expect.stringContaining(
        "The certificate expires on 20 December 2026, in 25 days. Upload a new certificate",
      ),
    });
    expect(await checkCredential(certificate("2026-11-20T00:00:00Z"), now)).toMatchObject({
      status: "error",
      message: expect.stringContaining("expired on 20 November 2026"),
    });
    expect(await checkCredential(certificate("2028-01-01T00:00:00Z", "2027-01-01T00:00:00Z"), now)).toMatchObject({
      status: "error",
      message: expect.stringContaining("is not valid before 2027-01-01"),
      code: "credential_certificate_not_yet_valid",
      notBefore: "2027-01-01T00:00:00.000Z",
    });
    expect(await checkCredential({ type: "certificate", privateKey, thumbprint }, now)).toMatchObject({
      status: "ok",
      message: expect.stringContaining("its expiry is not known"),
      code: "credential_certificate_unknown_expiry",
    });
    expect(JSON.stringify(await checkCredential(certificate("2027-06-30T00:00:00Z"), now))).not.toContain("PRIVATE");
  });

  it("fails a federated credential whose token file is gone or stale, naming the file", async () => {
    const tokenFile = path.join(makeTempDir("check-credential-"), "token");
    const federated = { type: "federated" as const, tokenFile, variable: "MARKETPLACE_FEDERATED_TOKEN_FILE" };
    writeFileSync(tokenFile, jwt(now.getTime() / 1000 + 3600));
    expect(await checkCredential(federated, now)).toMatchObject({
      status: "ok",
      type: "federated",
      tokenFile,
      code: "credential_federated_ok",
    });
    writeFileSync(tokenFile, jwt(now.getTime() / 1000 - 60));
    expect(await checkCredential(federated, now)).toMatchObject({
      status: "error",
      message: `The token in ${tokenFile} expired at 2026-11-25T11:59:00.000Z: the platform that writes it is not renewing it, so Entra ID refuses it.`,
      code: "credential_federated_expired",
    });
    rmSync(tokenFile);
    expect(await checkCredential(federated, now)).toMatchObject({
      status: "error",
      message: expect.stringContaining(`The federated token file ${tokenFile} cannot be read`),
      code: "credential_federated_unreadable",
    });
  });

  it("shows a managed identity, with nothing to renew", async () => {
    expect(
      await checkCredential({ type: "managed-identity", audience: "api://AzureADTokenExchange" }, now),
    ).toMatchObject({
      status: "ok",
      type: "managed-identity",
      message: expect.stringContaining("system-assigned managed identity"),
      code: "credential_managed_identity_system",
    });
  });
});
