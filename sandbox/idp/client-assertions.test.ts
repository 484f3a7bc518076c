import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCertificate, type TestCertificate } from "../../tests/support/certificates";
import { makeTempDir } from "../../tests/support/temp-dirs";
import type { Directory, DirectoryApp, Tenant } from "../types";
import { createAccessTokenSigner } from "./access-tokens";
import { AppCertificates } from "./app-certificates";
import { AssertionReplayCache, verifyClientAssertion, type ClientAssertionDeps } from "./client-assertions";
import { createDirectoryLookup } from "./directory-lookup";
import { entraErrors } from "./entra-errors";
import { entraUrls } from "./entra-urls";
import { createManagedIdentityEndpoint } from "./managed-identity-endpoint";
import { loadOrCreateSigningKey, type SigningKey } from "./signing-key";
import { createWorkloadIdentityIssuer, type WorkloadIdentityIssuer } from "./workload-identity";

const BASE = "https://localhost:8443";
const urls = entraUrls(BASE);
const directory = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../config/directory.json"), "utf8"),
) as Directory;
const lookup = createDirectoryLookup(directory, "http://localhost:3000");
const publisher = lookup.tenant(directory.publisherTenantId) as Tenant;
const app = lookup.app("f0f00000-0000-4000-8000-00000000f001") as DirectoryApp;
const tokenEndpoint = urls.token(publisher.id);

let registered: TestCertificate;
let unregistered: TestCertificate;
let expired: TestCertificate;
let workload: WorkloadIdentityIssuer;
let idpKey: SigningKey;
let deps: ClientAssertionDeps;

beforeAll(async () => {
  registered = makeCertificate({ commonName: "registered" });
  unregistered = makeCertificate({ commonName: "not registered" });
  expired = makeCertificate({ notBefore: new Date("2024-01-01"), notAfter: new Date("2025-01-01") });
  const dataDir = makeTempDir("idp-assertions-");
  workload = await createWorkloadIdentityIssuer(BASE, dataDir);
  idpKey = await loadOrCreateSigningKey(dataDir);
  const certificates = new AppCertificates();
  certificates.register(app.clientId, registered.certificate);
  certificates.register(app.clientId, expired.certificate);
  const tenantIssuer = urls.issuerV2(publisher.id);
  deps = {
    urls,
    errors: entraErrors(BASE),
    certificates,
    federatedCredentials: (candidate) =>
      (candidate.federatedCredentials ?? []).map((credential) => ({
        ...credential,
        issuer: credential.issuer.replaceAll("{sandbox}", BASE),
      })),
    issuerKeys: (issuer) =>
      issuer === workload.issuer
        ? workload.jwks()
        : issuer === tenantIssuer
          ? { keys: [{ ...idpKey.publicJwk }] }
          : undefined,
    replays: new AssertionReplayCache(),
  };
});
afterAll(() => workload.close());

const thumbprintS256 = (pem: string) => createHash("sha256").update(new X509Certificate(pem).raw).digest("base64url");

/** A certificate assertion as the portal signs it; every part can be changed. */
async function certificateAssertion(
  options: {
    key?: string;
    certificate?: string;
    header?: Record<string, unknown>;
    claims?: Record<string, unknown>;
    alg?: string;
  } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    aud: tokenEndpoint,
    iss: app.clientId,
    sub: app.clientId,
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + 600,
    ...options.claims,
  })
    .setProtectedHeader({
      alg: options.alg ?? "PS256",
      typ: "JWT",
      "x5t#S256": thumbprintS256(options.certificate ?? registered.certificate),
      ...options.header,
    })
    .sign(createPrivateKey(options.key ?? registered.privateKey));
}

async function refusal(assertion: string) {
  const result = await verifyClientAssertion(deps, { tenant: publisher, app, assertion });
  if (result.ok) throw new Error("expected a refusal");
  return {
    code: result.error.body.error_codes[0],
    error: result.error.body.error,
    text: result.error.body.error_description,
  };
}
const accepts = async (assertion: string) =>
  expect(await verifyClientAssertion(deps, { tenant: publisher, app, assertion })).toEqual({ ok: true });

describe("certificate assertions (private_key_jwt)", () => {
  it("accepts one signed by a registered certificate: PS256 with x5t#S256, or RS256 with the SHA-1 x5t", async () => {
    await accepts(await certificateAssertion());
    const sha1 = createHash("sha1").update(new X509Certificate(registered.certificate).raw).digest("base64url");
    await accepts(await certificateAssertion({ alg: "RS256", header: { "x5t#S256": undefined, x5t: sha1 } }));
    // The v1 token endpoint and the tenant's domain name the same tenant.
    await accepts(await certificateAssertion({ claims: { aud: urls.tokenV1(publisher.domain) } }));
  });

  it("refuses a certificate the app does not have, naming its thumbprint (AADSTS700027)", async () => {
    const refused = await refusal(
      await certificateAssertion({ key: unregistered.privateKey, certificate: unregistered.certificate }),
    );
    expect(refused).toMatchObject({ code: 700027, error: "invalid_client" });
    expect(refused.text).toContain("is not registered on application");
    expect(refused.text).toContain(new X509Certificate(unregistered.certificate).fingerprint256.replaceAll(":", ""));
  });

  it("refuses a registered thumbprint signed with another key (AADSTS700027, signature)", async () => {
    const refused = await refusal(await certificateAssertion({ key: unregistered.privateKey }));
    expect(refused).toMatchObject({ code: 700027 });
    expect(refused.text).toContain("use of the key to verify the signature failed");
  });

  it("refuses an assertion signed with an expired certificate (AADSTS700027, expired key)", async () => {
    const refused = await refusal(
      await certificateAssertion({ key: expired.privateKey, certificate: expired.certificate }),
    );
    expect(refused).toMatchObject({ code: 700027 });
    expect(refused.text).toContain("The key used is expired");
  });

  it("refuses another audience (AADSTS700023), another subject (AADSTS700021) and an expired assertion (AADSTS700024)", async () => {
    expect(
      await refusal(
        await certificateAssertion({ claims: { aud: urls.token("22222222-2222-4222-8222-222222222222") } }),
      ),
    ).toMatchObject({ code: 700023 });
    expect(
      await refusal(await certificateAssertion({ claims: { aud: `${BASE}/common/oauth2/v2.0/token` } })),
    ).toMatchObject({ code: 700023 });
    expect(await refusal(await certificateAssertion({ claims: { sub: "someone-else" } }))).toMatchObject({
      code: 700021,
    });
    const past = Math.floor(Date.now() / 1000) - 3600;
    const stale = await refusal(
      await certificateAssertion({ claims: { nbf: past - 600, iat: past - 600, exp: past } }),
    );
    expect(stale).toMatchObject({ code: 700024 });
    expect(stale.text).toContain("not within its valid time range");
  });

  it("refuses the same assertion twice (its jti), and one without a jti", async () => {
    const assertion = await certificateAssertion();
    await accepts(assertion);
    expect(await refusal(assertion)).toMatchObject({ code: 7000299, error: "invalid_client" });
    expect(await refusal(await certificateAssertion({ claims: { jti: undefined } }))).toMatchObject({ code: 50027 });
  });

  it("refuses what is not a JWT (AADSTS50027)", async () => {
    expect(await refusal("not-a-jwt")).toMatchObject({ code: 50027 });
  });
});

describe("federated assertions (workload identity federation)", () => {
  it("accepts a token of the trusted issuer with a configured subject and audience", async () => {
    await accepts((await workload.mint()).token);
    await accepts((await workload.mint({ subject: "repo:contoso/saas-portal:environment:production" })).token);
    // The same token again: federated tokens are reused until they expire (the file is renewed, not each request).
    const { token } = await workload.mint();
    await accepts(token);
    await accepts(token);
  });

  it("refuses an unknown subject (700213, case-sensitive), audience (700212) and issuer (700211)", async () => {
    const subject = await refusal((await workload.mint({ subject: "system:serviceaccount:marketplace:other" })).token);
    expect(subject).toMatchObject({ code: 700213 });
    expect(subject.text).toContain("system:serviceaccount:marketplace:other");
    expect(
      await refusal((await workload.mint({ subject: "system:serviceaccount:Marketplace:portal" })).token),
    ).toMatchObject({ code: 700213 });
    expect(await refusal((await workload.mint({ audience: "api://SomethingElse" })).token)).toMatchObject({
      code: 700212,
    });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const foreign = await new SignJWT({
      sub: "system:serviceaccount:marketplace:portal",
      aud: "api://AzureADTokenExchange",
    })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer("https://attacker.example")
      .setExpirationTime("1h")
      .sign(privateKey);
    expect(await refusal(foreign)).toMatchObject({ code: 700211 });
  });

  it("refuses a token of the trusted issuer signed with a key it does not publish", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const sign = (kid: string) =>
      new SignJWT({ sub: "system:serviceaccount:marketplace:portal", aud: ["api://AzureADTokenExchange"] })
        .setProtectedHeader({ alg: "RS256", kid })
        .setIssuer(workload.issuer)
        .setExpirationTime("1h")
        .sign(privateKey);
    expect(await refusal(await sign("unknown-key"))).toMatchObject({ code: 7000272 });
    const kid = workload.jwks().keys[0]?.kid ?? "";
    expect(await refusal(await sign(kid))).toMatchObject({ code: 50013 });
  });

  it("refuses an expired token (AADSTS700024)", async () => {
    expect(await refusal((await workload.mint({ expiresInSeconds: -3600 })).token)).toMatchObject({ code: 700024 });
  });

  it("accepts the App Service managed identity the app trusts, and refuses another identity's token (700213)", async () => {
    const signer = createAccessTokenSigner(idpKey, urls);
    const endpoint = createManagedIdentityEndpoint(directory.managedIdentities ?? [], signer);
    async function managedIdentityToken(query: string) {
      let body = "";
      const res = {
        writeHead: () => res,
        end: (text: string) => {
          body = text;
        },
      };
      const handled = await endpoint(
        {
          url: `/msi/token?api-version=2019-08-01&resource=api://AzureADTokenExchange${query}`,
          method: "GET",
          headers: { "x-identity-header": "sandbox-identity-header" },
        } as never,
        res as never,
      );
      expect(handled).toBe(true);
      return (JSON.parse(body) as { access_token: string }).access_token;
    }
    await accepts(await managedIdentityToken(""));
    expect(await refusal(await managedIdentityToken("&client_id=ee1d0000-0000-4000-8000-0000000e0002"))).toMatchObject({
      code: 700213,
    });
  });
});
