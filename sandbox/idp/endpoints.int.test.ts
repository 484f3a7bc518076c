/**
 * The identity provider over real HTTPS: discovery, keys, client credentials (by hand and with
 * @azure/msal-node), Entra-shaped errors, and key persistence across restarts.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxHttpClient } from "./testing/https-client";
import { runChildScript } from "./testing/run-child";
import { startTestIdp, type TestIdp } from "./testing/start-test-idp";

const PUBLISHER = "11111111-1111-4111-8111-111111111111";
const CUSTOMER = "22222222-2222-4222-8222-222222222222";
const MARKETPLACE = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
const FULFILLMENT = { id: "f0f00000-0000-4000-8000-00000000f001", secret: "sandbox-fulfillment-secret" };

type Json = Record<string, unknown>;

let idp: TestIdp;
let http: SandboxHttpClient;
beforeAll(async () => {
  idp = await startTestIdp();
  http = new SandboxHttpClient(idp.ca);
});
afterAll(async () => {
  await idp.close();
});

async function keySet(url: string): Promise<ReturnType<typeof createLocalJWKSet>> {
  const { status, body } = await http.json<JSONWebKeySet>(url);
  expect(status).toBe(200);
  return createLocalJWKSet(body);
}

describe("discovery", () => {
  it("publishes a tenant's v2 metadata with the v2 issuer and Entra's endpoint layout", async () => {
    const { status, body } = await http.json<Json>(`${idp.baseUrl}/${PUBLISHER}/v2.0/.well-known/openid-configuration`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: `${idp.baseUrl}/${PUBLISHER}/v2.0`,
      authorization_endpoint: `${idp.baseUrl}/${PUBLISHER}/oauth2/v2.0/authorize`,
      token_endpoint: `${idp.baseUrl}/${PUBLISHER}/oauth2/v2.0/token`,
      end_session_endpoint: `${idp.baseUrl}/${PUBLISHER}/oauth2/v2.0/logout`,
      jwks_uri: `${idp.baseUrl}/${PUBLISHER}/discovery/v2.0/keys`,
      userinfo_endpoint: `${idp.baseUrl}/oidc/userinfo`,
    });
  });

  it("publishes v1 metadata with the sts.windows.net-style issuer", async () => {
    const { body } = await http.json<Json>(`${idp.baseUrl}/${PUBLISHER}/.well-known/openid-configuration`);
    expect(body).toMatchObject({
      issuer: `${idp.baseUrl}/${PUBLISHER}/`,
      token_endpoint: `${idp.baseUrl}/${PUBLISHER}/oauth2/token`,
      jwks_uri: `${idp.baseUrl}/${PUBLISHER}/discovery/keys`,
    });
  });

  it("publishes /common and /organizations metadata with the literal {tenantid} issuer", async () => {
    for (const segment of ["common", "organizations"]) {
      const { body } = await http.json<Json>(`${idp.baseUrl}/${segment}/v2.0/.well-known/openid-configuration`);
      expect(body).toMatchObject({
        issuer: `${idp.baseUrl}/{tenantid}/v2.0`,
        authorization_endpoint: `${idp.baseUrl}/${segment}/oauth2/v2.0/authorize`,
        token_endpoint: `${idp.baseUrl}/${segment}/oauth2/v2.0/token`,
        jwks_uri: `${idp.baseUrl}/${segment}/discovery/v2.0/keys`,
      });
    }
  });

  it("accepts a tenant's domain in place of its id, and refuses unknown tenants like Entra", async () => {
    const byDomain = await http.json<Json>(`${idp.baseUrl}/fabrikam.example/v2.0/.well-known/openid-configuration`);
    expect(byDomain.body.issuer).toBe(`${idp.baseUrl}/${CUSTOMER}/v2.0`);

    const unknown = await http.json<Json>(
      `${idp.baseUrl}/99999999-9999-4999-8999-999999999999/v2.0/.well-known/openid-configuration`,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
  });

  it("leaves paths outside Entra's layout to the server", async () => {
    expect((await http.request(`${idp.baseUrl}/api/saas/subscriptions`)).status).toBe(404);
    expect((await http.request(`${idp.baseUrl}/purchase`)).status).toBe(404);
  });
});

describe("keys", () => {
  it("serves the same single RSA signing key for every tenant, v1 and v2", async () => {
    const urls = [
      `${idp.baseUrl}/${PUBLISHER}/discovery/v2.0/keys`,
      `${idp.baseUrl}/${PUBLISHER}/discovery/keys`,
      `${idp.baseUrl}/${CUSTOMER}/discovery/v2.0/keys`,
      `${idp.baseUrl}/common/discovery/v2.0/keys`,
    ];
    const sets = await Promise.all(urls.map(async (url) => (await http.json<JSONWebKeySet>(url)).body));
    for (const set of sets) expect(set).toEqual(idp.idp.jwks());
    expect(sets[0]?.keys).toHaveLength(1);
    expect(sets[0]?.keys[0]).toMatchObject({ kty: "RSA", use: "sig" });
    expect(sets[0]?.keys[0]).not.toHaveProperty("d");
  });
});

describe("client credentials over HTTPS", () => {
  const expectMarketplaceV1Token = async (accessToken: string, jwksUrl: string) => {
    const { payload, protectedHeader } = await jwtVerify(accessToken, await keySet(jwksUrl), {
      issuer: `${idp.baseUrl}/${PUBLISHER}/`,
      audience: MARKETPLACE,
      algorithms: ["RS256"],
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(payload).toMatchObject({ appid: FULFILLMENT.id, appidacr: "1", tid: PUBLISHER, ver: "1.0", idtyp: "app" });
  };

  it("v2 endpoint: scope={marketplace}/.default yields a v1-format token that verifies against the JWKS", async () => {
    const { status, body } = await http.json<Json>(`${idp.baseUrl}/${PUBLISHER}/oauth2/v2.0/token`, {
      form: {
        grant_type: "client_credentials",
        client_id: FULFILLMENT.id,
        client_secret: FULFILLMENT.secret,
        scope: `${MARKETPLACE}/.default`,
      },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    await expectMarketplaceV1Token(String(body.access_token), `${idp.baseUrl}/${PUBLISHER}/discovery/v2.0/keys`);
  });

  it("v1 endpoint: resource={marketplace} with HTTP Basic auth", async () => {
    const response = await http.request(`${idp.baseUrl}/${PUBLISHER}/oauth2/token`, {
      headers: { authorization: `Basic ${Buffer.from(`${FULFILLMENT.id}:${FULFILLMENT.secret}`).toString("base64")}` },
      form: { grant_type: "client_credentials", resource: MARKETPLACE },
    });
    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toContain("no-store");
    const body = JSON.parse(response.body) as Json;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: "3599", resource: MARKETPLACE });
    expect(typeof body.expires_on).toBe("string");
    expect(typeof body.not_before).toBe("string");
    await expectMarketplaceV1Token(String(body.access_token), `${idp.baseUrl}/${PUBLISHER}/discovery/keys`);
  });

  it("refuses wrong secret, unknown client, another tenant and unknown resource with Entra's codes", async () => {
    const attempt = async (tenant: string, overrides: Record<string, string>) => {
      const { status, body } = await http.json<Json>(`${idp.baseUrl}/${tenant}/oauth2/v2.0/token`, {
        form: {
          grant_type: "client_credentials",
          client_id: FULFILLMENT.id,
          client_secret: FULFILLMENT.secret,
          scope: `${MARKETPLACE}/.default`,
          ...overrides,
        },
      });
      expect(String(body.error_description)).toMatch(/^AADSTS\d+: /);
      expect(body).toHaveProperty("trace_id");
      expect(body).toHaveProperty("correlation_id");
      return { status, error: body.error, codes: body.error_codes };
    };
    expect(await attempt(PUBLISHER, { client_secret: "nope" })).toEqual({
      status: 401,
      error: "invalid_client",
      codes: [7000215],
    });
    expect(await attempt(PUBLISHER, { client_id: "00000000-0000-4000-8000-000000000000" })).toEqual({
      status: 400,
      error: "unauthorized_client",
      codes: [700016],
    });
    expect(await attempt(CUSTOMER, {})).toEqual({ status: 400, error: "unauthorized_client", codes: [700016] });
    expect(await attempt(PUBLISHER, { scope: "00000000-0000-4000-8000-000000000000/.default" })).toEqual({
      status: 400,
      error: "invalid_resource",
      codes: [500011],
    });
    expect(await attempt(PUBLISHER, { grant_type: "password" })).toEqual({
      status: 400,
      error: "unsupported_grant_type",
      codes: [70003],
    });
  });

  it("refuses client credentials at /common (a tenant is required)", async () => {
    const { status, body } = await http.json<Json>(`${idp.baseUrl}/common/oauth2/v2.0/token`, {
      form: {
        grant_type: "client_credentials",
        client_id: FULFILLMENT.id,
        client_secret: FULFILLMENT.secret,
        scope: `${MARKETPLACE}/.default`,
      },
    });
    expect(status).toBe(400);
    expect(body.error).toBe("invalid_request");
  });

  it("signAccessToken() signs tokens that verify against the published keys (v1 and v2 forms)", async () => {
    const keys = await keySet(`${idp.baseUrl}/${PUBLISHER}/discovery/v2.0/keys`);
    const v1 = await idp.idp.signAccessToken({
      tid: PUBLISHER,
      clientId: MARKETPLACE,
      audience: FULFILLMENT.id,
      version: 1,
    });
    const v2 = await idp.idp.signAccessToken({
      tid: PUBLISHER,
      clientId: MARKETPLACE,
      audience: FULFILLMENT.id,
      version: 2,
      lifetimeSeconds: 60,
    });
    const one = await jwtVerify(v1, keys, { issuer: idp.idp.issuer(PUBLISHER, 1), audience: FULFILLMENT.id });
    expect(one.payload).toMatchObject({ appid: MARKETPLACE, ver: "1.0" });
    const two = await jwtVerify(v2, keys, { issuer: idp.idp.issuer(PUBLISHER, 2), audience: FULFILLMENT.id });
    expect(two.payload).toMatchObject({ azp: MARKETPLACE, ver: "2.0" });
    expect((two.payload.exp ?? 0) - (two.payload.iat ?? 0)).toBe(60);
  });
});

describe("@azure/msal-node", () => {
  it("acquireTokenByClientCredential gets a marketplace token from the publisher tenant", async () => {
    const result = await runChildScript<{ ok: boolean; accessToken?: string; tokenType?: string; message?: string }>(
      "msal-client-credentials.ts",
      idp.caPath,
      {
        AUTHORITY: `${idp.baseUrl}/${PUBLISHER}`,
        KNOWN_AUTHORITY: idp.host,
        CLIENT_ID: FULFILLMENT.id,
        CLIENT_SECRET: FULFILLMENT.secret,
        SCOPE: `${MARKETPLACE}/.default`,
      },
    );
    expect(result.message).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.tokenType).toBe("Bearer");
    const { payload } = await jwtVerify(
      result.accessToken ?? "",
      await keySet(`${idp.baseUrl}/${PUBLISHER}/discovery/keys`),
      {
        issuer: `${idp.baseUrl}/${PUBLISHER}/`,
        audience: MARKETPLACE,
      },
    );
    expect(payload).toMatchObject({ appid: FULFILLMENT.id, ver: "1.0" });
  });

  it("surfaces Entra's error code for a wrong secret", async () => {
    const result = await runChildScript<{ ok: boolean; errorCode?: string; message?: string }>(
      "msal-client-credentials.ts",
      idp.caPath,
      {
        AUTHORITY: `${idp.baseUrl}/${PUBLISHER}`,
        KNOWN_AUTHORITY: idp.host,
        CLIENT_ID: FULFILLMENT.id,
        CLIENT_SECRET: "wrong-secret",
        SCOPE: `${MARKETPLACE}/.default`,
      },
    );
    expect(result.ok).toBe(false);
    expect(result.errorCode).toBe("invalid_client");
    expect(result.message).toContain("AADSTS7000215");
  });
});

describe("restart", () => {
  it("keeps the signing key, so tokens issued before a restart still verify", async () => {
    const before = await idp.idp.signAccessToken({
      tid: PUBLISHER,
      clientId: FULFILLMENT.id,
      audience: MARKETPLACE,
      version: 1,
    });
    const restarted = await startTestIdp({ dataDir: idp.dataDir });
    try {
      const client = new SandboxHttpClient(restarted.ca);
      const { body } = await client.json<JSONWebKeySet>(`${restarted.baseUrl}/${PUBLISHER}/discovery/keys`);
      expect(body).toEqual(idp.idp.jwks());
      await jwtVerify(before, createLocalJWKSet(body), { audience: MARKETPLACE });
      expect(decodeProtectedHeader(before).kid).toBe(body.keys[0]?.kid);
    } finally {
      await restarted.close();
    }
  });
});
