/**
 * Each way the fulfillment app can authenticate, end to end: the portal's own marketplace client
 * and token provider, configured from the environment as at start-up, against the sandbox's
 * identity provider and Fulfillment API over https (MSAL) — and Entra's refusals, with their
 * AADSTS codes, never carrying a secret, key or assertion.
 */
import { copyFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inspect } from "node:util";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/logger";
import { makeCertificate } from "@/tests/support/certificates";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { makeTempDir } from "@/tests/support/temp-dirs";

const sandbox = sandboxControl();
const dataDir = process.env.SANDBOX_DATA_DIR ?? "";
const clientId = "f0f00000-0000-4000-8000-00000000f001";
const sandboxCertificate = {
  certificatePath: path.join(dataDir, "fulfillment-app", "certificate.pem"),
  privateKeyPath: path.join(dataDir, "fulfillment-app", "private-key.pem"),
};
const projectedToken = path.join(dataDir, "workload-identity", "token");
const globalForMarketplace = globalThis as { __marketplaceClient?: unknown };

/** No credential variables: each test sets the ones of its mode (the global set-up configures a secret). */
const NO_CREDENTIAL = {
  MARKETPLACE_CLIENT_SECRET: "",
  MARKETPLACE_CREDENTIAL_TYPE: "",
  MARKETPLACE_CLIENT_CERTIFICATE_PATH: "",
  MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: "",
  MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT: "",
  MARKETPLACE_FEDERATED_TOKEN_FILE: "",
  MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID: "",
};

/** The portal as it starts with these variables: its env section, token provider and marketplace client. */
async function portalWith(env: Record<string, string>) {
  vi.resetModules();
  vi.unstubAllEnvs();
  delete globalForMarketplace.__marketplaceClient;
  for (const [key, value] of Object.entries({ ...NO_CREDENTIAL, LOG_LEVEL: "debug", ...env })) vi.stubEnv(key, value);
  const { marketplaceEnv } = await import("@/lib/env");
  const { createTokenProvider } = await import("@/lib/marketplace/token-provider");
  const { marketplace } = await import("@/lib/marketplace");
  const settings = marketplaceEnv();
  const token = createTokenProvider({
    authorityHost: settings.ENTRA_AUTHORITY_HOST,
    tenantId: settings.MARKETPLACE_TENANT_ID,
    clientId: settings.MARKETPLACE_CLIENT_ID,
    credential: settings.credential,
    resourceId: settings.MARKETPLACE_RESOURCE_ID,
  });
  return { credential: settings.credential, token, client: marketplace() };
}

/** What a token says about how the app authenticated: appidacr "1" a secret, "2" an assertion. */
async function authenticatedWith(token: (options?: { skipCache?: boolean }) => Promise<string>) {
  const accessToken = await token({ skipCache: true });
  secrets.push(accessToken);
  const claims = decodeJwt(accessToken);
  return { appid: claims.appid, appidacr: claims.appidacr };
}

/** Whatever a refusal exposes (message, cause chain) must not contain these. */
function expectNoneOf(error: unknown, secrets: string[]) {
  const text = `${String(error)}\n${inspect(error, { depth: 8 })}\n${JSON.stringify(error)}`;
  for (const secret of secrets.filter(Boolean)) expect(text).not.toContain(secret);
}

/** A refusal, logged as a call site would log it (the last test reads every line logged). */
async function refusal(promise: Promise<unknown>): Promise<Error & { kind?: string }> {
  try {
    await promise;
  } catch (error) {
    logger.error("the fulfillment app could not authenticate", { error, cause: (error as Error).cause });
    return error as Error & { kind?: string };
  }
  throw new Error("expected a refusal");
}

/** Every line the portal logs in this file, and the secrets it must never contain. */
const logged: string[] = [];
const secrets: string[] = ["sandbox-fulfillment-secret", "not-the-secret-value-42"];
beforeAll(() => {
  for (const sink of ["log", "info", "warn", "error"] as const)
    vi.spyOn(console, sink).mockImplementation((...parts: unknown[]) => {
      logged.push(parts.map(String).join(" "));
    });
});

const pemBody = (pem: string) => pem.split("\n").find((line) => line.length > 40 && !line.startsWith("-----")) ?? "";

afterEach(() => {
  vi.unstubAllEnvs();
  delete globalForMarketplace.__marketplaceClient;
});
afterAll(() => {
  vi.resetModules();
  vi.restoreAllMocks();
});

describe("a client secret (the default)", () => {
  it("gets a token Entra marks as secret-authenticated, and calls the Fulfillment API with it", async () => {
    const portal = await portalWith({ MARKETPLACE_CLIENT_SECRET: "sandbox-fulfillment-secret" });
    expect(portal.credential.type).toBe("secret");
    expect(await authenticatedWith(portal.token)).toEqual({ appid: clientId, appidacr: "1" });
    await expect(portal.client.listSubscriptions()).resolves.toBeDefined();
  });

  it("reports a wrong secret with Entra's code and what to check, without the secret", async () => {
    const portal = await portalWith({ MARKETPLACE_CLIENT_SECRET: "not-the-secret-value-42" });
    const error = await refusal(portal.token({ skipCache: true }));
    expect(error).toMatchObject({ kind: "authentication" });
    expect(error.message).toContain("(invalid_client, AADSTS7000215)");
    expect(error.message).toContain("MARKETPLACE_CLIENT_SECRET");
    expectNoneOf(error, ["not-the-secret-value-42"]);
  });
});

describe("a certificate (private_key_jwt)", () => {
  it("authenticates with the certificate registered on the app, signing a fresh assertion for each request", async () => {
    const portal = await portalWith({
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: sandboxCertificate.certificatePath,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: sandboxCertificate.privateKeyPath,
    });
    expect(portal.credential).toMatchObject({ type: "certificate", thumbprint: { algorithm: "sha256" } });
    expect(await authenticatedWith(portal.token)).toEqual({ appid: clientId, appidacr: "2" });
    // The sandbox refuses a replayed assertion (same jti): asking again works only with a new one.
    expect(await authenticatedWith(portal.token)).toEqual({ appid: clientId, appidacr: "2" });
    await expect(portal.client.listSubscriptions()).resolves.toBeDefined();
  });

  it("MSAL's own clientCertificate re-sends one assertion (same jti) for ten minutes, which the sandbox refuses: why the portal signs its own", async () => {
    const { ConfidentialClientApplication } = await import("@azure/msal-node");
    const { X509Certificate } = await import("node:crypto");
    const { readFileSync } = await import("node:fs");
    const pem = readFileSync(sandboxCertificate.certificatePath, "utf8");
    const app = new ConfidentialClientApplication({
      auth: {
        clientId,
        authority: `${sandbox.baseUrl}/11111111-1111-4111-8111-111111111111`,
        knownAuthorities: [new URL(sandbox.baseUrl).host],
        clientCertificate: {
          thumbprintSha256: new X509Certificate(pem).fingerprint256.replaceAll(":", ""),
          privateKey: readFileSync(sandboxCertificate.privateKeyPath, "utf8"),
        },
      },
    });
    const request = { scopes: ["20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default"], skipCache: true };
    await expect(app.acquireTokenByClientCredential(request)).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
    await expect(app.acquireTokenByClientCredential(request)).rejects.toMatchObject({
      errorMessage: expect.stringContaining("AADSTS7000299: Client assertion was already used"),
    });
  });

  it("works from the private key and the SHA-1 thumbprint Entra shows (x5t, RS256)", async () => {
    const { X509Certificate } = await import("node:crypto");
    const { readFileSync } = await import("node:fs");
    const thumbprint = new X509Certificate(readFileSync(sandboxCertificate.certificatePath)).fingerprint;
    const portal = await portalWith({
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: sandboxCertificate.privateKeyPath,
      MARKETPLACE_CLIENT_CERTIFICATE_THUMBPRINT: thumbprint,
    });
    expect(portal.credential).toMatchObject({ type: "certificate", thumbprint: { algorithm: "sha1" } });
    expect(await authenticatedWith(portal.token)).toEqual({ appid: clientId, appidacr: "2" });
  });

  it("is refused until the certificate is uploaded to the app (AADSTS700027), then accepted", async () => {
    const certificate = makeCertificate({ commonName: "portal next certificate" });
    secrets.push(pemBody(certificate.privateKey));
    const portal = await portalWith({
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: certificate.privateKeyPath,
    });
    const error = await refusal(portal.token({ skipCache: true }));
    expect(error).toMatchObject({ kind: "authentication" });
    expect(error.message).toMatch(
      /\(invalid_client, AADSTS700027\)\. Check .*the certificate \(SHA-256 thumbprint [0-9A-F]{64}\) is uploaded/,
    );
    expectNoneOf(error, [pemBody(certificate.privateKey)]);
    await sandbox.registerCertificate(clientId, certificate.certificate);
    expect(await authenticatedWith(portal.token)).toEqual({ appid: clientId, appidacr: "2" });
  });

  it("is refused once the certificate has expired, saying so (AADSTS700027)", async () => {
    const expired = makeCertificate({ notBefore: new Date("2024-01-01"), notAfter: new Date("2025-01-01") });
    await sandbox.registerCertificate(clientId, expired.certificate);
    const portal = await portalWith({
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: expired.certificatePath,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: expired.privateKeyPath,
    });
    expect(portal.credential).toMatchObject({ certificate: { notAfter: new Date("2025-01-01T00:00:00Z") } });
    const error = await refusal(portal.token({ skipCache: true }));
    expect(error.message).toContain("AADSTS700027");
    expect((error.cause as { errorMessage?: string }).errorMessage).toContain("The key used is expired");
  });
});

describe("a federated credential (token file)", () => {
  it("authenticates with the token the platform writes, read again for every request", async () => {
    const file = path.join(makeTempDir("federated-"), "token");
    copyFileSync(projectedToken, file);
    const portal = await portalWith({ MARKETPLACE_FEDERATED_TOKEN_FILE: file });
    expect(portal.credential).toEqual({
      type: "federated",
      tokenFile: file,
      variable: "MARKETPLACE_FEDERATED_TOKEN_FILE",
    });
    expect(await authenticatedWith(portal.token)).toEqual({ appid: clientId, appidacr: "2" });
    await expect(portal.client.listSubscriptions()).resolves.toBeDefined();

    // The platform replaces the file: the next request presents the new token (here: one Entra does not trust).
    const stranger = await sandbox.workloadToken({ subject: "system:serviceaccount:marketplace:intruder" });
    secrets.push(stranger.token);
    writeFileSync(file, stranger.token);
    const unknownSubject = await refusal(portal.token({ skipCache: true }));
    expect(unknownSubject.message).toContain("AADSTS700213");
    expectNoneOf(unknownSubject, [stranger.token]);

    const expired = await sandbox.workloadToken({ expiresInSeconds: -600 });
    writeFileSync(file, expired.token);
    expect((await refusal(portal.token({ skipCache: true }))).message).toContain("AADSTS700024");

    const otherAudience = await sandbox.workloadToken({ audience: "api://SomeOtherExchange" });
    writeFileSync(file, otherAudience.token);
    expect((await refusal(portal.token({ skipCache: true }))).message).toContain("AADSTS700212");

    const github = await sandbox.workloadToken({ subject: "repo:contoso/saas-portal:environment:production" });
    writeFileSync(file, github.token);
    expect(await authenticatedWith(portal.token)).toEqual({ appid: clientId, appidacr: "2" });
  });

  it("names the token file when it disappears after start-up", async () => {
    const file = path.join(makeTempDir("federated-"), "token");
    copyFileSync(projectedToken, file);
    const portal = await portalWith({
      MARKETPLACE_CREDENTIAL_TYPE: "federated",
      MARKETPLACE_FEDERATED_TOKEN_FILE: file,
    });
    rmSync(file);
    const error = await refusal(portal.token({ skipCache: true }));
    expect(error).toMatchObject({ kind: "authentication" });
    expect(error.message).toBe(
      `The fulfillment app could not authenticate: The federated token file ${file} (MARKETPLACE_FEDERATED_TOKEN_FILE) cannot be read (there is no such file).`,
    );
  });
});

describe("a managed identity (App Service), trusted by the app as a federated credential", () => {
  const appService = () => ({
    IDENTITY_ENDPOINT: `${sandbox.baseUrl}/msi/token`,
    IDENTITY_HEADER: "sandbox-identity-header",
  });

  it("authenticates with the system-assigned identity's token for api://AzureADTokenExchange", async () => {
    const portal = await portalWith({ ...appService(), MARKETPLACE_CREDENTIAL_TYPE: "managed-identity" });
    expect(portal.credential).toEqual({ type: "managed-identity", audience: "api://AzureADTokenExchange" });
    expect(await authenticatedWith(portal.token)).toEqual({ appid: clientId, appidacr: "2" });
    await expect(portal.client.listSubscriptions()).resolves.toBeDefined();
  });

  it("is refused for an identity the app does not trust (AADSTS700213)", async () => {
    const portal = await portalWith({
      ...appService(),
      MARKETPLACE_MANAGED_IDENTITY_CLIENT_ID: "ee1d0000-0000-4000-8000-0000000e0002",
    });
    const error = await refusal(portal.token({ skipCache: true }));
    expect(error.message).toContain("AADSTS700213");
    expect(error.message).toContain("trusts it as a federated credential");
  });
});

describe("logs", () => {
  it("never hold a secret, a private key, an assertion or a token", async () => {
    const { readFileSync } = await import("node:fs");
    secrets.push(pemBody(readFileSync(sandboxCertificate.privateKeyPath, "utf8")));
    // The refusals above were logged, and the marketplace client logged its calls (LOG_LEVEL=debug).
    expect(logged.some((line) => line.includes("could not authenticate"))).toBe(true);
    expect(logged.some((line) => line.includes("marketplace call"))).toBe(true);
    const text = logged.join("\n");
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./);
    expect(text).not.toContain("PRIVATE KEY");
  });
});
