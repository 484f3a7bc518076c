/**
 * The sample product on its own, over HTTP (no portal code: tokens and events are made here the
 * way the portal makes them, with jose and standardwebhooks): it refuses every hand-off a product
 * must refuse, remembers used token ids across a restart, and verifies events — with either secret
 * during a rotation — refusing unsigned, wrongly signed and stale ones, each with its reason.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../../tests/support/temp-dirs";
import { createSampleProduct, type SampleProduct } from "./index";

const PORTAL = "https://portal.contoso.example";
const secretA = `whsec_${Buffer.from("a".repeat(32)).toString("base64")}`;
const secretB = `whsec_${Buffer.from("b".repeat(32)).toString("base64")}`;

let key: CryptoKey;
let jwksServer: Server;
let productServer: Server;
let product: SampleProduct;
let baseUrl: string;
const dataDir = makeTempDir("sample-product-");

async function listen(server: Server) {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function startProduct() {
  product = await createSampleProduct({ baseUrl: "https://product.sandbox.example", dataDir, portalUrl: PORTAL });
  productServer = createServer((req, res) => {
    void product.handle(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  baseUrl = await listen(productServer);
}

async function stopProduct() {
  productServer.closeAllConnections();
  await new Promise<void>((resolve) => productServer.close(() => resolve()));
  await product.close();
}

const control = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${baseUrl}/sandbox-api/product${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

function token(overrides: Record<string, unknown> = {}, options: { typ?: string; key?: CryptoKey } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: PORTAL,
    aud: "https://product.sandbox.example",
    sub: "b2000000-0000-4000-8000-000000000001",
    jti: randomUUID(),
    iat: now,
    exp: now + 120,
    name: "Alice Admin",
    email: "alice@fabrikam.example",
    subscription: { offerName: "Contoso Analytics", planName: "Basic", seats: null, features: { reports: true } },
    ...overrides,
  })
    .setProtectedHeader({ alg: "ES256", kid: "k1", typ: options.typ ?? "handoff+jwt" })
    .sign(options.key ?? key);
}

async function handOff(jwt: string) {
  const response = await fetch(`${baseUrl}/product`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ handoff_token: jwt }),
    redirect: "manual",
  });
  const text = await response.text();
  return {
    status: response.status,
    code: /data-code="([a-z_]+)"/.exec(text)?.[1],
    text,
    cookie: response.headers.get("set-cookie"),
  };
}

function sendEvent(options: { secrets: string[]; id?: string; timestamp?: Date; body?: string }) {
  const id = options.id ?? `evt_${randomUUID().replaceAll("-", "")}`;
  const timestamp = options.timestamp ?? new Date();
  const body =
    options.body ??
    JSON.stringify({
      type: "subscription.plan_changed",
      timestamp: timestamp.toISOString(),
      data: { subscriptionId: "s-1", sequence: 3, change: { from: "basic", to: "pro-seats" } },
    });
  const signature = options.secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(" ");
  return fetch(`${baseUrl}/product/events`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      ...(options.secrets.length > 0 ? { "webhook-signature": signature } : {}),
    },
    body,
  });
}

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  key = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" }] };
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(jwks));
  });
  const jwksUrl = `${await listen(jwksServer)}/.well-known/jwks.json`;
  await startProduct();
  await control("POST", "/settings", { jwksUrl });
});

afterAll(async () => {
  await stopProduct();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

describe("hand-off", () => {
  it("lets a verified person in and shows them and their plan; refuses the same token after a restart", async () => {
    const jwt = await token();
    const arrived = await handOff(jwt);
    expect(arrived.status).toBe(303);
    const session = arrived.cookie?.split(";")[0] ?? "";
    expect(arrived.cookie).toMatch(/HttpOnly; Secure; SameSite=Lax/);
    const page = await (await fetch(`${baseUrl}/product`, { headers: { cookie: session } })).text();
    expect(page).toMatch(/data-testid="arrived-name">Alice Admin</);
    expect(page).toMatch(/data-testid="arrived-plan">Basic</);
    expect(page).toMatch(/data-testid="arrived-seats">Flat rate</);
    expect(page).toContain("<td>reports</td><td>yes</td>");

    await stopProduct();
    await startProduct();
    expect((await handOff(jwt)).code).toBe("replayed");
  });

  it.each([
    ["expired", { iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 480 }, "expired"],
    ["too old, whatever its expiry says", { iat: Math.floor(Date.now() / 1000) - 400 }, "expired"],
    ["for another product", { aud: "https://other.example" }, "wrong_audience"],
    ["from another issuer", { iss: "https://evil.example" }, "wrong_issuer"],
    ["without an id", { jti: undefined }, "invalid_claims"],
  ])("refuses a token %s", async (_name, overrides, code) => {
    const refused = await handOff(await token(overrides));
    expect(refused.status).toBe(401);
    expect(refused.code).toBe(code);
    expect(refused.text).toContain("Nobody was signed in");
  });

  it("refuses a token of another type, one not signed by the portal, and text that is no JWT", async () => {
    expect((await handOff(await token({}, { typ: "JWT" }))).code).toBe("invalid_claims");
    const stranger = (await generateKeyPair("ES256")).privateKey;
    expect((await handOff(await token({}, { key: stranger }))).code).toBe("bad_signature");
    expect((await handOff("not-a-jwt")).code).toBe("malformed");
  });

  it("says so when the portal's keys cannot be read", async () => {
    const view = await control("GET", "");
    await control("POST", "/settings", { jwksUrl: "http://127.0.0.1:9/.well-known/jwks.json" });
    try {
      const refused = await handOff(await token());
      expect(refused.status).toBe(503);
      expect(refused.code).toBe("keys_unavailable");
    } finally {
      await control("POST", "/settings", { jwksUrl: (view.json.settings as { jwksUrl: string }).jwksUrl });
    }
  });
});

describe("events", () => {
  beforeEach(async () => {
    await control("DELETE", "/history");
    await control("POST", "/settings", { eventSecrets: [] });
  });

  const events = async () =>
    (await control("GET", "")).json.events as Array<{
      verified: boolean;
      duplicate: boolean;
      reason: string | null;
      type: string | null;
    }>;

  it("refuses every event until a secret is configured, saying where to put it", async () => {
    expect((await sendEvent({ secrets: [secretA] })).status).toBe(401);
    expect((await events())[0]?.reason).toMatch(/No endpoint secret is configured.*\/product\/settings/);
  });

  it("verifies a signed event, and marks a repeat of its webhook-id", async () => {
    await control("POST", "/settings", { eventSecrets: [secretA] });
    const id = "evt_0123456789abcdef0123456789abcdef";
    expect((await sendEvent({ secrets: [secretA], id })).status).toBe(204);
    expect((await sendEvent({ secrets: [secretA], id })).status).toBe(204);
    expect(await events()).toMatchObject([
      { verified: true, duplicate: true, type: "subscription.plan_changed" },
      { verified: true, duplicate: false, type: "subscription.plan_changed" },
    ]);
    const page = await (await fetch(`${baseUrl}/product/events`)).text();
    expect(page).toContain('data-type="subscription.plan_changed" data-verified="true"');
  });

  it("during a rotation verifies with either secret; refuses another secret, a stale timestamp, a changed body", async () => {
    await control("POST", "/settings", { eventSecrets: [secretB, secretA] });
    expect((await sendEvent({ secrets: [secretA] })).status).toBe(204);
    expect((await sendEvent({ secrets: [secretB, secretA] })).status).toBe(204);
    const other = `whsec_${Buffer.from("c".repeat(32)).toString("base64")}`;
    expect((await sendEvent({ secrets: [other] })).status).toBe(401);
    expect((await sendEvent({ secrets: [secretA], timestamp: new Date(Date.now() - 10 * 60_000) })).status).toBe(401);
    expect((await sendEvent({ secrets: [] })).status).toBe(401);

    const id = "evt_fedcba9876543210fedcba9876543210";
    const timestamp = new Date();
    const body = JSON.stringify({
      type: "subscription.quantity_changed",
      timestamp: timestamp.toISOString(),
      data: {},
    });
    const signature = new Webhook(secretA).sign(id, timestamp, body);
    const changed = await fetch(`${baseUrl}/product/events`, {
      method: "POST",
      headers: {
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: body.replace("quantity_changed", "cancelled"),
    });
    expect(changed.status).toBe(401);

    const seen = await events();
    expect(seen.map((event) => event.verified)).toEqual([false, false, false, false, true, true]);
    expect(seen[0]).toMatchObject({
      type: "subscription.cancelled",
      reason: expect.stringMatching(/No matching signature/),
    });
    expect(seen[1]?.reason).toMatch(/Missing required headers/);
    expect(seen[2]?.reason).toMatch(/timestamp too old/);
  });

  it("takes secrets from the settings form, refusing one that is not a Standard Webhooks secret", async () => {
    const save = (value: string) =>
      fetch(`${baseUrl}/product/settings`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ eventSecrets: value }),
      });
    const refused = await save("not-a-secret");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Not saved: must be a Standard Webhooks secret");
    const saved = await save(`${secretA}\n${secretB}`);
    expect(saved.status).toBe(200);
    expect((await control("GET", "")).json.settings).toMatchObject({
      eventSecrets: [`${secretA.slice(0, 10)}…`, `${secretB.slice(0, 10)}…`],
    });
    expect(JSON.stringify((await control("GET", "")).json)).not.toContain(secretA);
  });
});
