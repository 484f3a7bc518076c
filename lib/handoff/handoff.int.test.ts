/**
 * The hand-off into the product, end to end over HTTP: the portal mints tokens for a subscription
 * bought in the sandbox (real database), publishes its keys through the real JWKS route (served
 * here on a local port), and the sandbox's sample product checks them as a product must —
 * signature against the published keys, issuer, audience, type, expiry, one use. Covers the key
 * rollover (current + next published, a token signed with either verifies), and the refusals:
 * expired, replayed, tampered, wrong audience, unknown key. The route (session stubbed) gives a
 * token only to someone who may see the subscription, and only to a form of the portal's own.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { handoffSigningKeysSchema } from "@/lib/env";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { setTestLocale } from "@/tests/support/next-intl-server";
import { seeded } from "@/tests/support/sandbox-env";
import { generateSigningJwk } from "./generate-signing-key";
import { issueHandoff, type IssuedHandoff } from "./issue-handoff";
import { signHandoff } from "./sign-handoff";
import { handoffKeys, handoffKeysFrom, resetHandoffKeys } from "./signing-keys";

const session = vi.hoisted(() => ({ user: null as null | Record<string, unknown> }));
vi.mock("@/auth", () => ({ auth: async () => (session.user ? { user: session.user } : null) }));

const current = generateSigningJwk();
const next = { ...generateSigningJwk(), kid: "next-key" };
process.env.HANDOFF_SIGNING_KEYS = JSON.stringify([current, next]);

const sandbox = sandboxControl();
const productUrl = `${process.env.SANDBOX_URL}/product`;
const alice = { ...seeded.alice, roles: [] as string[] };
const nina = { ...seeded.nina, roles: [] as string[] };
const bob = { ...seeded.bob, roles: [] as string[] };
let subscriptionId: string;
let jwksServer: Server;
let jwksFetches = 0;

async function issued(actor = alice): Promise<IssuedHandoff> {
  const result = await issueHandoff({ subscriptionId, actor });
  if (!result.ok) throw new Error(`no hand-off: ${result.reason}`);
  return result;
}

/** The buyer's browser posting the token to the product; the product's answer and its page. */
async function postToProduct(token: string) {
  const response = await fetch(productUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ handoff_token: token }),
    redirect: "manual",
  });
  const cookie = response.headers.get("set-cookie")?.split(";")[0] ?? null;
  const text = await response.text();
  const page = cookie ? await (await fetch(productUrl, { headers: { cookie } })).text() : text;
  return { status: response.status, location: response.headers.get("location"), page };
}

const refusedCode = (page: string) => /data-code="([a-z_]+)"/.exec(page)?.[1];

beforeAll(async () => {
  const { GET } = await import("@/app/.well-known/jwks.json/route");
  jwksServer = createServer((req, res) => {
    jwksFetches += 1;
    void (async () => {
      const answer = GET();
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(await answer.text());
    })();
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  await sandbox.productSettings({
    jwksUrl: `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`,
    issuer: process.env.PUBLIC_BASE_URL,
    audience: null,
  });

  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 7,
    beneficiary: { tid: alice.tid, oid: alice.oid },
  });
  await resolvePurchase({ token: purchase.token, actor: alice });
  await activateSubscription({
    subscriptionId: purchase.subscriptionId,
    accountConfig: {
      companyName: "Fabrikam",
      contactName: "Alice",
      contactEmail: "it@fabrikam.example",
      region: "eu",
      acceptTerms: "on",
    },
    actor: alice,
  });
  subscriptionId = purchase.subscriptionId;
});

afterAll(async () => {
  await sandbox.productSettings({ jwksUrl: null, issuer: null, audience: null });
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
  await disconnectDatabase();
});

describe("the portal's token", () => {
  it("says who arrives and what their organisation bought, for the product's origin, for 2 minutes", async () => {
    const { token, productUrl: url, productName } = await issued();
    expect(url).toBe(productUrl);
    expect(productName).toBe("Contoso Analytics");
    expect(decodeProtectedHeader(token)).toEqual({ alg: "ES256", kid: current.kid, typ: "handoff+jwt" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: process.env.PUBLIC_BASE_URL,
      aud: new URL(productUrl).origin,
      sub: alice.oid,
      tid: alice.tid,
      oid: alice.oid,
      email: alice.email,
      access: "party",
      subscription: {
        id: subscriptionId,
        tenantId: alice.tid,
        status: "Subscribed",
        offerId: "contoso-analytics",
        offerName: "Contoso Analytics",
        planId: "pro-seats",
        planName: "Professional (per user)",
        seats: 7,
        features: { dashboards: true, scheduledReports: true, sso: false, maxProjects: 50 },
      },
    });
    expect(claims.exp! - claims.iat!).toBe(120);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    const audit = await db().auditEvent.findFirst({
      where: { subscriptionId, action: "handoff_issued" },
      orderBy: { id: "desc" },
    });
    expect(audit?.detail).toMatchObject({ jti: claims.jti, audience: new URL(productUrl).origin });
    expect(JSON.stringify(audit?.detail)).not.toContain(token);
  });

  it("is not given to someone who may not see the subscription (the same answer as an unknown one)", async () => {
    const before = await db().auditEvent.count({ where: { subscriptionId, action: "handoff_issued" } });
    expect(await issueHandoff({ subscriptionId, actor: nina })).toEqual({ ok: false, reason: "not_found" });
    expect(await issueHandoff({ subscriptionId, actor: bob })).toEqual({ ok: false, reason: "not_found" });
    expect(await issueHandoff({ subscriptionId: "00000000-0000-4000-8000-000000000000", actor: alice })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await db().auditEvent.count({ where: { subscriptionId, action: "handoff_issued" } })).toBe(before);
  });
});

describe("the published keys", () => {
  it("serve the current and the next key during a rollover, public parts only", async () => {
    const response = await fetch(
      `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`,
    );
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const jwks = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((key) => key.kid)).toEqual([current.kid, "next-key"]);
    for (const key of jwks.keys) {
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(key).not.toHaveProperty("d");
    }
  });
});

describe("the sample product", () => {
  it("verifies a token signed with the current key, then one signed with the next once it signs, without fetching the keys again", async () => {
    await sandbox.clearProductHistory();
    const first = await postToProduct((await issued()).token);
    expect(first.status).toBe(303);
    expect(first.location).toBe("/product");
    expect(first.page).toContain('data-testid="verified"');
    expect(first.page).toContain(`>${current.kid}<`);
    expect(first.page).toMatch(/data-testid="arrived-email">alice@fabrikam\.example</);
    expect(first.page).toMatch(/data-testid="arrived-plan">Professional \(per user\)</);
    expect(first.page).toMatch(/data-testid="arrived-seats">7</);
    const fetchesAfterFirst = jwksFetches;

    // Rollover, step 2: the next key signs, the old one stays published for tokens in flight.
    resetHandoffKeys(handoffKeysFrom(handoffSigningKeysSchema.parse([next, current]), "environment"));
    try {
      const second = await issued();
      expect(decodeProtectedHeader(second.token).kid).toBe("next-key");
      const arrived = await postToProduct(second.token);
      expect(arrived.status).toBe(303);
      expect(arrived.page).toContain(">next-key<");
      expect(jwksFetches).toBe(fetchesAfterFirst);
    } finally {
      resetHandoffKeys();
    }
    const seen = (await sandbox.product()).handoffs;
    expect(seen.map((handoff) => [handoff.verified, handoff.key?.kid])).toEqual([
      [true, "next-key"],
      [true, current.kid],
    ]);
  });

  it("refuses a token used before", async () => {
    const { token } = await issued();
    expect((await postToProduct(token)).status).toBe(303);
    const replay = await postToProduct(token);
    expect(replay.status).toBe(401);
    expect(refusedCode(replay.page)).toBe("replayed");
    expect(replay.page).toContain("This hand-off was already used");
  });

  it("refuses an expired token", async () => {
    const result = await issueHandoff({ subscriptionId, actor: alice, now: new Date(Date.now() - 10 * 60_000) });
    if (!result.ok) throw new Error(result.reason);
    const refused = await postToProduct(result.token);
    expect(refused.status).toBe(401);
    expect(refusedCode(refused.page)).toBe("expired");
    expect(refused.page).toContain("This hand-off has expired");
  });

  it("refuses a tampered token: more seats in the claims, the signature unchanged", async () => {
    const { token } = await issued();
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as { subscription: { seats: number } };
    claims.subscription.seats = 500;
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".");
    const refused = await postToProduct(forged);
    expect(refused.status).toBe(401);
    expect(refusedCode(refused.page)).toBe("bad_signature");
  });

  it("refuses a token for another product, and one from another issuer", async () => {
    const signer = handoffKeys().signer;
    const claims = (await issued()).claims;
    const elsewhere = await signHandoff(
      { ...claims, jti: crypto.randomUUID(), aud: "https://other-product.example" },
      signer,
    );
    const wrongAudience = await postToProduct(elsewhere);
    expect(wrongAudience.status).toBe(401);
    expect(refusedCode(wrongAudience.page)).toBe("wrong_audience");

    const otherIssuer = await signHandoff({ ...claims, jti: crypto.randomUUID(), iss: "https://evil.example" }, signer);
    expect(refusedCode((await postToProduct(otherIssuer)).page)).toBe("wrong_issuer");
  });

  it("refuses a token signed with a key the portal does not publish, and a request without a token", async () => {
    const { kty, crv, x, y, d } = generateSigningJwk();
    const stranger = handoffKeysFrom(
      [{ kid: "stranger", alg: "ES256", jwk: { kty: kty as "EC", crv, x, y, d } }],
      "environment",
    );
    const claims = { ...(await issued()).claims, jti: crypto.randomUUID() };
    const unknownKey = await postToProduct(await signHandoff(claims, stranger.signer));
    expect(unknownKey.status).toBe(401);
    expect(refusedCode(unknownKey.page)).toBe("unknown_key");

    const missing = await fetch(productUrl, { method: "POST", redirect: "manual" });
    expect(missing.status).toBe(400);
    expect(refusedCode(await missing.text())).toBe("missing");
  });
});

describe("POST /api/handoff/{id}", () => {
  const post = async (id: string, headers: Record<string, string> = {}) => {
    const { POST } = await import("@/app/api/handoff/[subscriptionId]/route");
    return POST(new Request(`${process.env.PUBLIC_BASE_URL}/api/handoff/${id}`, { method: "POST", headers }), {
      params: Promise.resolve({ subscriptionId: id }),
    });
  };

  it("answers a page that posts the token to the product, and only lets the form go there", async () => {
    session.user = { ...alice };
    const response = await post(subscriptionId, {
      "sec-fetch-site": "same-origin",
      origin: process.env.PUBLIC_BASE_URL!,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("content-security-policy")).toContain(`form-action ${new URL(productUrl).origin}`);
    const page = await response.text();
    expect(page).toContain(`<form id="handoff" method="post" action="${productUrl}">`);
    const token = /name="handoff_token" value="([^"]+)"/.exec(page)?.[1];
    expect(decodeJwt(token!).sub).toBe(alice.oid);
    expect(page).toContain("Continue to Contoso Analytics");
    expect(page).toContain('<html lang="en">');
  });

  it("speaks the reader's language, on the way to the product and when refusing", async () => {
    setTestLocale("ja");
    try {
      session.user = { ...alice };
      const response = await post(subscriptionId, { "sec-fetch-site": "same-origin" });
      const page = await response.text();
      expect(page).toContain('<html lang="ja">');
      expect(page).toContain("Contoso Analytics に進む");
      session.user = { ...nina };
      const stranger = await post(subscriptionId, { "sec-fetch-site": "same-origin" });
      expect(stranger.status).toBe(404);
      expect(await stranger.text()).toContain("サブスクリプションが見つかりません");
    } finally {
      setTestLocale("en");
    }
  });

  it("gives nothing to a form from another site, a stranger, or a signed-out visitor", async () => {
    const before = await db().auditEvent.count({ where: { subscriptionId, action: "handoff_issued" } });
    session.user = { ...alice };
    const crossSite = await post(subscriptionId, { "sec-fetch-site": "cross-site", origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).not.toContain("handoff_token");

    session.user = { ...nina };
    const stranger = await post(subscriptionId, { "sec-fetch-site": "same-origin" });
    expect(stranger.status).toBe(404);
    expect(await stranger.text()).toContain("Subscription not found");

    session.user = null;
    const signedOut = await post(subscriptionId, { "sec-fetch-site": "same-origin" });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe(
      `${process.env.PUBLIC_BASE_URL}/signin?callbackUrl=${encodeURIComponent(`/account/subscriptions/${subscriptionId}`)}`,
    );
    expect(await db().auditEvent.count({ where: { subscriptionId, action: "handoff_issued" } })).toBe(before);
  });
});
