import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { generateSigningJwk } from "./generate-signing-key";
import { defaultAudience, handoffClaims, HANDOFF_TOKEN_TYPE, type HandoffClaimsInput } from "./handoff-claims";
import { signHandoff } from "./sign-handoff";

const input: HandoffClaimsInput = {
  issuer: "https://portal.contoso.example",
  audience: "https://analytics.contoso.example",
  user: {
    tid: "22222222-2222-4222-8222-222222222222",
    oid: "B2000000-0000-4000-8000-000000000001",
    name: "Alice Admin",
    email: "alice@fabrikam.example",
  },
  access: "party",
  subscription: {
    id: "9e7f0000-0000-4000-8000-000000000001",
    beneficiaryTenantId: "22222222-2222-4222-8222-222222222222",
    status: "Subscribed",
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 12,
    isTest: false,
    isFreeTrial: true,
  },
  offerName: "Contoso Analytics",
  planName: "Professional (per user)",
  features: { reports: true, maxProjects: 50, tier: "pro" },
  jti: "0d9e3e0a-6f5c-4a43-9d53-8d2b9a1f3e11",
  now: new Date("2026-11-25T10:15:30.750Z"),
  ttlSeconds: 120,
};

describe("handoffClaims", () => {
  it("says who arrives (sub = oid, with its tenant) and what their organisation bought", () => {
    const claims = handoffClaims(input);
    expect(claims).toEqual({
      iss: "https://portal.contoso.example",
      aud: "https://analytics.contoso.example",
      sub: "b2000000-0000-4000-8000-000000000001",
      jti: "0d9e3e0a-6f5c-4a43-9d53-8d2b9a1f3e11",
      iat: 1795601730,
      exp: 1795601850,
      tid: "22222222-2222-4222-8222-222222222222",
      oid: "b2000000-0000-4000-8000-000000000001",
      name: "Alice Admin",
      email: "alice@fabrikam.example",
      access: "party",
      subscription: {
        id: "9e7f0000-0000-4000-8000-000000000001",
        tenantId: "22222222-2222-4222-8222-222222222222",
        status: "Subscribed",
        offerId: "contoso-analytics",
        offerName: "Contoso Analytics",
        planId: "pro-seats",
        planName: "Professional (per user)",
        seats: 12,
        features: { reports: true, maxProjects: 50, tier: "pro" },
        isTest: false,
        isFreeTrial: true,
      },
    });
  });

  it("states missing names and emails as null, and a flat-rate plan's seats as null", () => {
    const claims = handoffClaims({
      ...input,
      user: { tid: input.user.tid, oid: input.user.oid },
      subscription: { ...input.subscription, quantity: null },
      features: {},
    });
    expect(claims.name).toBeNull();
    expect(claims.email).toBeNull();
    expect(claims.subscription.seats).toBeNull();
    expect(claims.subscription.features).toEqual({});
  });

  it("never lives longer than 5 minutes, and needs an audience", () => {
    expect(handoffClaims({ ...input, ttlSeconds: 300 }).exp - handoffClaims({ ...input, ttlSeconds: 300 }).iat).toBe(
      300,
    );
    expect(() => handoffClaims({ ...input, ttlSeconds: 301 })).toThrow(/1 to 300 seconds/);
    expect(() => handoffClaims({ ...input, ttlSeconds: 0 })).toThrow(/1 to 300 seconds/);
    expect(() => handoffClaims({ ...input, ttlSeconds: 1.5 })).toThrow(/1 to 300 seconds/);
    expect(() => handoffClaims({ ...input, audience: "" })).toThrow(/audience/);
  });

  it("copies the features, so a later change of the catalog object does not change a token's claims", () => {
    const features = { reports: true };
    const claims = handoffClaims({ ...input, features });
    features.reports = false;
    expect(claims.subscription.features).toEqual({ reports: true });
  });

  it("defaults the audience to the product URL's origin", () => {
    expect(defaultAudience("https://app.contoso.example/start?x=1")).toBe("https://app.contoso.example");
    expect(defaultAudience("https://localhost:8443/product")).toBe("https://localhost:8443");
  });
});

describe("signHandoff", () => {
  it.each(["ES256", "EdDSA"] as const)("signs with %s: a product verifies it with the published key", async (alg) => {
    const jwk =
      alg === "ES256"
        ? generateSigningJwk()
        : { ...generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }), kid: "ed-1" };
    const key = createPrivateKey({ key: jwk as JsonWebKey, format: "jwk" });
    const claims = handoffClaims({ ...input, now: new Date() });
    const token = await signHandoff(claims, { kid: String(jwk.kid), alg, key });

    expect(decodeProtectedHeader(token)).toEqual({ alg, kid: jwk.kid, typ: HANDOFF_TOKEN_TYPE });
    const published = { ...createPublicKey(key).export({ format: "jwk" }), kid: jwk.kid, alg, use: "sig" };
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [published] }), {
      issuer: input.issuer,
      audience: input.audience,
      typ: HANDOFF_TOKEN_TYPE,
      maxTokenAge: "5m",
    });
    expect(payload).toEqual(claims);
  });
});
