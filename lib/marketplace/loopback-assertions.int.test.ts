/**
 * The assertion modes on the plain-http path (a local emulator on loopback, no MSAL:
 * loopback-client-credentials.ts): the sandbox's identity provider served over http on 127.0.0.1,
 * and the portal's token provider configured from the environment as at start-up.
 */
import { copyFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestIdp, type TestIdp } from "@/sandbox/idp/testing/start-test-idp";
import { makeCertificate } from "@/tests/support/certificates";
import { makeTempDir } from "@/tests/support/temp-dirs";

let idp: TestIdp;
beforeAll(async () => {
  idp = await startTestIdp({ plainHttp: true });
});
afterAll(async () => {
  await idp.close();
  vi.unstubAllEnvs();
});
afterEach(() => vi.unstubAllEnvs());

async function tokenProviderWith(env: Record<string, string>) {
  vi.resetModules();
  for (const [key, value] of Object.entries({
    ENTRA_AUTHORITY_HOST: idp.baseUrl,
    MARKETPLACE_API_BASE: `${idp.baseUrl}/api`,
    NODE_ENV: "development",
    MARKETPLACE_CLIENT_SECRET: "",
    ...env,
  }))
    vi.stubEnv(key, value);
  const { marketplaceEnv } = await import("@/lib/env");
  const { createTokenProvider } = await import("@/lib/marketplace/token-provider");
  const settings = marketplaceEnv();
  return createTokenProvider({
    authorityHost: settings.ENTRA_AUTHORITY_HOST,
    tenantId: settings.MARKETPLACE_TENANT_ID,
    clientId: settings.MARKETPLACE_CLIENT_ID,
    credential: settings.credential,
    resourceId: settings.MARKETPLACE_RESOURCE_ID,
  });
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a refusal");
}

describe("client assertions over plain http (loopback emulator)", () => {
  it("authenticates with a certificate, a fresh assertion each time", async () => {
    expect(idp.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
    const token = await tokenProviderWith({
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: path.join(idp.dataDir, "fulfillment-app", "certificate.pem"),
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: path.join(idp.dataDir, "fulfillment-app", "private-key.pem"),
    });
    for (let i = 0; i < 2; i += 1)
      expect(decodeJwt(await token({ skipCache: true }))).toMatchObject({
        appidacr: "2",
        iss: `${idp.baseUrl}/11111111-1111-4111-8111-111111111111/`,
      });
  });

  it("reports an unregistered certificate with Entra's code", async () => {
    const certificate = makeCertificate();
    const token = await tokenProviderWith({
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: certificate.certificatePath,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: certificate.privateKeyPath,
    });
    const error = await refusal(token({ skipCache: true }));
    expect(error).toMatchObject({ kind: "authentication" });
    expect(error.message).toContain("(invalid_client, AADSTS700027)");
  });

  it("authenticates with a federated token file, read again for every request", async () => {
    const file = path.join(makeTempDir("loopback-federated-"), "token");
    copyFileSync(path.join(idp.dataDir, "workload-identity", "token"), file);
    const token = await tokenProviderWith({ MARKETPLACE_FEDERATED_TOKEN_FILE: file });
    expect(decodeJwt(await token({ skipCache: true }))).toMatchObject({ appidacr: "2" });
    writeFileSync(file, "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.");
    expect((await refusal(token({ skipCache: true }))).message).toContain("AADSTS700211");
  });
});
