import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWebhookVerifier, issuersFor, MARKETPLACE_APP_ID, webhookAudiences } from "./verify-webhook-token";

const publisherTenant = "11111111-1111-4111-8111-111111111111";
const otherTenant = "33333333-3333-4333-8333-333333333333";
const publisherApp = "f0f00000-0000-4000-8000-00000000f001";
const host = "https://login.microsoftonline.com";
const [v1Issuer, v2Issuer] = issuersFor(host, publisherTenant) as [string, string];

let server: Server;
let jwksUrl: string;
let published: JWK[] = [];
let jwksFetches = 0;
let signingKey: CryptoKey;
let rotatedKey: CryptoKey;
let strangerKey: CryptoKey;

/** Times are absolute (seconds since the epoch); `issuedAt`/`notBefore` null leave the claim out. */
interface TokenOptions {
  kid?: string;
  key?: CryptoKey;
  alg?: string;
  claims?: Record<string, unknown>;
  issuer?: string;
  audience?: string;
  expiresIn?: number;
  issuedAt?: number | null;
  notBefore?: number | null;
}

async function token(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const version = options.claims?.ver ?? "1.0";
  const caller = version === "2.0" ? { azp: MARKETPLACE_APP_ID } : { appid: MARKETPLACE_APP_ID };
  const jwt = new SignJWT({ tid: publisherTenant, ver: "1.0", ...caller, ...options.claims })
    .setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? "key-1", typ: "JWT" })
    .setIssuer(options.issuer ?? (version === "2.0" ? v2Issuer : v1Issuer))
    .setAudience(options.audience ?? publisherApp)
    .setExpirationTime(now + (options.expiresIn ?? 3600));
  if (options.issuedAt !== null) jwt.setIssuedAt(options.issuedAt ?? now - 60);
  if (options.notBefore !== null) jwt.setNotBefore(options.notBefore ?? now - 60);
  return jwt.sign(options.key ?? signingKey);
}

function verifier(jwksCooldownMs?: number, maxTokenAgeSeconds?: number) {
  return createWebhookVerifier({
    jwksUrl,
    issuers: [v1Issuer, v2Issuer],
    audience: publisherApp,
    tenantId: publisherTenant,
    jwksCooldownMs,
    maxTokenAgeSeconds,
  });
}

beforeAll(async () => {
  const first = await generateKeyPair("RS256", { extractable: true });
  const second = await generateKeyPair("RS256", { extractable: true });
  signingKey = first.privateKey;
  rotatedKey = second.privateKey;
  strangerKey = (await generateKeyPair("RS256")).privateKey;
  const firstJwk = { ...(await exportJWK(first.publicKey)), kid: "key-1", use: "sig" };
  const secondJwk = { ...(await exportJWK(second.publicKey)), kid: "key-2", use: "sig" };
  published = [firstJwk];
  server = createServer((_req, res) => {
    jwksFetches += 1;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${publisherTenant}/discovery/v2.0/keys`;
  (globalThis as { __secondJwk?: JWK }).__secondJwk = secondJwk;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  jwksFetches = 0;
});

const bearer = (value: string) => `Bearer ${value}`;

describe("webhook audiences (WEBHOOK_AUDIENCE)", () => {
  it("takes each app id with its App ID URI api://<app id>, and other URIs as given", () => {
    expect(webhookAudiences([publisherApp])).toEqual([publisherApp, `api://${publisherApp}`]);
    expect(webhookAudiences([publisherApp.toUpperCase(), "api://contoso.example/fulfillment"])).toEqual([
      publisherApp,
      `api://${publisherApp}`,
      "api://contoso.example/fulfillment",
    ]);
  });

  it("accepts a token for the App ID URI, or for any listed audience, and still refuses another app's", async () => {
    const verify = createWebhookVerifier({
      jwksUrl,
      issuers: [v1Issuer, v2Issuer],
      audience: webhookAudiences([publisherApp]),
      tenantId: publisherTenant,
    });
    expect((await verify(bearer(await token({ audience: `api://${publisherApp}` })))).ok).toBe(true);
    expect((await verify(bearer(await token({ audience: publisherApp })))).ok).toBe(true);
    expect(await verify(bearer(await token({ audience: "api://another-app" })))).toEqual({
      ok: false,
      reason: "claim check failed: aud (check_failed)",
      signedMismatch: "audience",
    });
    expect((await verify(bearer(await token({ audience: "00000000-0000-4000-8000-000000000000" })))).ok).toBe(false);
  });
});

describe("webhook token verification", () => {
  it("accepts a valid v1 token (sts.windows.net issuer, appid)", async () => {
    const result = await verifier()(bearer(await token()));
    expect(result).toMatchObject({ ok: true, version: "1.0", caller: MARKETPLACE_APP_ID });
  });

  it("accepts a valid v2 token (login.microsoftonline.com/{tid}/v2.0 issuer, azp)", async () => {
    const result = await verifier()(bearer(await token({ claims: { ver: "2.0" } })));
    expect(result).toMatchObject({ ok: true, version: "2.0" });
  });

  it("accepts the long tenant-id claim name", async () => {
    const result = await verifier()(
      bearer(
        await token({
          claims: { tid: undefined, "http://schemas.microsoft.com/identity/claims/tenantid": publisherTenant },
        }),
      ),
    );
    expect(result.ok).toBe(true);
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ["wrong audience", () => token({ audience: "00000000-0000-4000-8000-000000000000" }), /aud/],
    ["wrong issuer", () => token({ issuer: "https://evil.example/" + publisherTenant + "/" }), /iss/],
    [
      "another tenant (its own issuer and tid)",
      () => token({ issuer: `https://sts.windows.net/${otherTenant}/`, claims: { tid: otherTenant } }),
      /iss/,
    ],
    ["another tenant's tid under our issuer", () => token({ claims: { tid: otherTenant } }), /another tenant/],
    [
      "a caller other than the marketplace (v1 appid)",
      () => token({ claims: { appid: "99999999-0000-4000-8000-000000000000" } }),
      /marketplace service/,
    ],
    [
      "a caller other than the marketplace (v2 azp)",
      () => token({ claims: { ver: "2.0", azp: "99999999-0000-4000-8000-000000000000" } }),
      /marketplace service/,
    ],
    [
      "v2 token carrying the caller only in appid",
      () => token({ claims: { ver: "2.0", azp: undefined, appid: MARKETPLACE_APP_ID } }),
      /marketplace service/,
    ],
    ["expired", () => token({ expiresIn: -600 }), /expired/],
    ["not yet valid", () => token({ notBefore: Math.floor(Date.now() / 1000) + 600 }), /nbf/],
    ["signed by a key that is not published (same kid)", () => token({ key: strangerKey }), /signature/],
  ])("refuses %s", async (_name, make, reason) => {
    const result = await verifier()(bearer(await make()));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it("tolerates a small clock skew", async () => {
    const result = await verifier()(bearer(await token({ expiresIn: -60 })));
    expect(result.ok).toBe(true);
  });

  it("refuses alg: none", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const body = Buffer.from(
      JSON.stringify({
        iss: v1Issuer,
        aud: publisherApp,
        tid: publisherTenant,
        appid: MARKETPLACE_APP_ID,
        ver: "1.0",
        iat: now,
        exp: now + 3600,
      }),
    ).toString("base64url");
    const result = await verifier()(bearer(`${header}.${body}.`));
    expect(result).toMatchObject({ ok: false });
  });

  it("refuses HS256 (even signed with the public key as secret)", async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ tid: publisherTenant, appid: MARKETPLACE_APP_ID, ver: "1.0" })
      .setProtectedHeader({ alg: "HS256", kid: "key-1" })
      .setIssuer(v1Issuer)
      .setAudience(publisherApp)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(new TextEncoder().encode(JSON.stringify(published[0])));
    const result = await verifier()(bearer(forged));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/algorithm/) });
  });

  it("refuses a tampered payload", async () => {
    const [header, payload, signature] = (await token()).split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const tampered = Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 86_400 })).toString(
      "base64url",
    );
    const result = await verifier()(bearer(`${header}.${tampered}.${signature}`));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/signature/) });
  });

  it("refuses an unknown kid after refreshing the keys once", async () => {
    const verify = verifier(0);
    expect((await verify(bearer(await token()))).ok).toBe(true);
    const result = await verify(bearer(await token({ kid: "unknown-kid", key: strangerKey })));
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/kid/) });
    expect(jwksFetches).toBe(2);
  });

  it("does not refetch the keys for every unknown kid within the cooldown", async () => {
    const verify = verifier(60_000);
    expect((await verify(bearer(await token()))).ok).toBe(true);
    for (let i = 0; i < 3; i += 1)
      expect((await verify(bearer(await token({ kid: `flood-${i}`, key: strangerKey })))).ok).toBe(false);
    expect(jwksFetches).toBe(1);
  });

  it("picks up a rotated key: the unknown kid triggers a JWKS refresh", async () => {
    const verify = verifier(0);
    expect((await verify(bearer(await token()))).ok).toBe(true);
    published = [...published, (globalThis as { __secondJwk?: JWK }).__secondJwk as JWK];
    try {
      expect((await verify(bearer(await token({ kid: "key-2", key: rotatedKey })))).ok).toBe(true);
    } finally {
      published = published.slice(0, 1);
    }
  });

  it("caches the JWKS between deliveries", async () => {
    const verify = verifier();
    for (let i = 0; i < 5; i += 1) expect((await verify(bearer(await token()))).ok).toBe(true);
    expect(jwksFetches).toBe(1);
  });

  it.each([[undefined], [""], ["Basic abc"], ["Bearer"], ["Bearer not-a-jwt"]])(
    "refuses a missing or malformed header %j",
    async (header) => {
      const result = await verifier()(header);
      expect(result.ok).toBe(false);
    },
  );
});

describe("refusals that point at the settings (signedMismatch)", () => {
  const stranger = "99999999-0000-4000-8000-000000000000";
  const now = () => Math.floor(Date.now() / 1000);

  it.each<[string, () => Promise<string>, string]>([
    ["the marketplace's token for another audience", () => token({ audience: stranger }), "audience"],
    [
      "the marketplace's v2 token for another audience",
      () => token({ audience: stranger, claims: { ver: "2.0" } }),
      "audience",
    ],
    [
      "the marketplace's token from another tenant (its own issuer and tid)",
      () => token({ issuer: `https://sts.windows.net/${otherTenant}/`, claims: { tid: otherTenant } }),
      "issuer",
    ],
    [
      "the marketplace's token with another tenant's tid under our issuer",
      () => token({ claims: { tid: otherTenant } }),
      "tenant",
    ],
    [
      "a token for our app in our tenant issued to another app (v1)",
      () => token({ claims: { appid: stranger } }),
      "caller",
    ],
    [
      "a token for our app in our tenant issued to another app (v2)",
      () => token({ claims: { ver: "2.0", azp: stranger } }),
      "caller",
    ],
  ])("names the setting for %s", async (_name, make, mismatch) => {
    expect(await verifier()(bearer(await make()))).toMatchObject({ ok: false, signedMismatch: mismatch });
  });

  it.each<[string, () => Promise<string>]>([
    // Entra signs every tenant's tokens with the same keys: anyone can get one for their own app.
    [
      "another tenant's token for its own app",
      () =>
        token({
          issuer: `https://sts.windows.net/${otherTenant}/`,
          audience: stranger,
          claims: { tid: otherTenant, appid: stranger },
        }),
    ],
    ["another app's token for another audience", () => token({ audience: stranger, claims: { appid: stranger } })],
    ["another app's token with another tenant's tid", () => token({ claims: { tid: otherTenant, appid: stranger } })],
    ["a bad signature", () => token({ key: strangerKey })],
    ["a bad signature on a token for another audience", () => token({ key: strangerKey, audience: stranger })],
    ["an unknown kid", () => token({ kid: "unknown-kid", key: strangerKey })],
    ["an expired token", () => token({ expiresIn: -600 })],
    ["a token not yet valid", () => token({ notBefore: now() + 600 })],
    ["a token issued in the future", () => token({ issuedAt: now() + 600, notBefore: null })],
    ["a token too old", () => token({ issuedAt: now() - 2 * 86_400, notBefore: null, expiresIn: 3600 })],
    ["a lifetime too long", () => token({ expiresIn: 30 * 86_400 })],
    ["a token without iat", () => token({ issuedAt: null })],
  ])("names none for %s", async (_name, make) => {
    const result = await verifier(0)(bearer(await make()));
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty("signedMismatch");
  });

  it.each([[undefined], [""], ["Basic abc"], ["Bearer not-a-jwt"]])("names none for the header %j", async (header) => {
    const result = await verifier()(header);
    expect(result).toEqual({ ok: false, reason: expect.any(String) });
  });
});

describe("webhook token age", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const day = 24 * 60 * 60;

  it.each<[string, () => TokenOptions, RegExp]>([
    [
      "an iat in the future beyond the clock skew",
      () => ({ issuedAt: now() + 600, notBefore: null }),
      /issued in the future/,
    ],
    ["an nbf in the future beyond the clock skew", () => ({ notBefore: now() + 600 }), /nbf/],
    [
      "an iat older than 24 hours (exp far ahead)",
      () => ({ issuedAt: now() - day - 3600, notBefore: null, expiresIn: 3600 }),
      /too old/,
    ],
    ["a lifetime longer than 24 hours (exp - iat)", () => ({ expiresIn: 30 * day }), /lifetime too long/],
    [
      "a lifetime longer than 24 hours counted from nbf (exp - nbf)",
      () => ({ issuedAt: now() - 60, notBefore: now() - 2 * day, expiresIn: 3600 }),
      /lifetime too long/,
    ],
    ["no iat (Entra always sends it)", () => ({ issuedAt: null }), /iat/],
  ])("refuses %s", async (_name, options, reason) => {
    const result = await verifier()(bearer(await token(options())));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it("tolerates an iat slightly ahead (inside the clock skew) and a lifetime of exactly the maximum", async () => {
    expect((await verifier()(bearer(await token({ issuedAt: now() + 60, notBefore: null })))).ok).toBe(true);
    expect((await verifier()(bearer(await token({ issuedAt: now(), notBefore: now(), expiresIn: day })))).ok).toBe(
      true,
    );
    expect((await verifier()(bearer(await token({ issuedAt: now(), notBefore: now(), expiresIn: day + 1 })))).ok).toBe(
      false,
    );
  });

  it("takes a configured maximum age: an Entra-like 90-minute token passes a 2-hour limit, older or longer ones do not", async () => {
    const verify = verifier(undefined, 2 * 3600);
    expect(
      (await verify(bearer(await token({ issuedAt: now() - 600, notBefore: now() - 600, expiresIn: 90 * 60 - 600 }))))
        .ok,
    ).toBe(true);
    expect(
      await verify(bearer(await token({ issuedAt: now() - 3 * 3600, notBefore: null, expiresIn: 600 }))),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/too old/) });
    expect(await verify(bearer(await token({ expiresIn: 3 * 3600 })))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/lifetime too long/),
    });
  });
});

describe("issuersFor", () => {
  it("uses sts.windows.net for v1 in production and the host itself elsewhere", () => {
    expect(issuersFor("https://login.microsoftonline.com", "t")).toEqual([
      "https://sts.windows.net/t/",
      "https://login.microsoftonline.com/t/v2.0",
    ]);
    expect(issuersFor("https://localhost:8443/", "t")).toEqual([
      "https://localhost:8443/t/",
      "https://localhost:8443/t/v2.0",
    ]);
  });
});
