/**
 * Test support for the emulator's integration tests: a real node:https server on a free port,
 * a small in-test identity provider (the real one is sandbox/idp), and an https client that
 * trusts the sandbox CA. Not a test file itself (no `.test.` in the name).
 */
import { request as httpsRequest } from "node:https";
import { createServer as createHttpServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet } from "jose";
import { fileURLToPath } from "node:url";
import { makeTempDir } from "../../tests/support/temp-dirs";
import { ensureSandboxTls } from "../tls";
import type { AccessTokenRequest, Catalog, Directory, IdentityProvider, MarketplaceEmulator } from "../types";
import { parseCatalog } from "./catalog-schema";
import { createMarketplaceEmulator, type EmulatorSettings, type VariantRequest } from "./index";
import { API_VERSION, MARKETPLACE_API_APP_ID } from "./model";

// Read directly, not through sandbox/server.ts, which also pulls in the IdP.
const configDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "config");
export const directory = JSON.parse(readFileSync(path.join(configDir, "directory.json"), "utf8")) as Directory;
export const catalog: Catalog = parseCatalog(JSON.parse(readFileSync(path.join(configDir, "catalog.json"), "utf8")));
export const PUBLISHER_TENANT = directory.publisherTenantId;
export const FULFILLMENT_APP = "f0f00000-0000-4000-8000-00000000f001";
export const SIGN_IN_APP = "5a1e0000-0000-4000-8000-00000000a001";
export const ALICE = { tid: "22222222-2222-4222-8222-222222222222", oid: "b2000000-0000-4000-8000-000000000001" };
export const NINA = { tid: "33333333-3333-4333-8333-333333333333", oid: "c3000000-0000-4000-8000-000000000001" };
export const CARL = { tid: "44444444-4444-4444-8444-444444444444", oid: "d4000000-0000-4000-8000-000000000001" };
export const LANDING_URL = "http://localhost:3000/landing";

export interface TestIdentityProvider extends IdentityProvider {
  /** Signs with a key the IdP does not publish (same kid): a forged token. */
  signForged(request: AccessTokenRequest): Promise<string>;
}

export async function createTestIdentityProvider(baseUrl: string): Promise<TestIdentityProvider> {
  const kid = "test-key-1";
  const real = await generateKeyPair("RS256", { extractable: true });
  const forged = await generateKeyPair("RS256");
  // Like Entra (and sandbox/idp), the published key has no `alg`.
  const publicJwk = { ...(await exportJWK(real.publicKey)), kid, use: "sig" };
  const issuer = (tid: string, version: 1 | 2) => (version === 1 ? `${baseUrl}/${tid}/` : `${baseUrl}/${tid}/v2.0`);

  async function sign(key: CryptoKey, r: AccessTokenRequest): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = r.lifetimeSeconds ?? 3600;
    const issuedAt = Math.min(now, now + lifetime - 60);
    const caller =
      r.version === 1 ? { appid: r.clientId, appidacr: "1", ver: "1.0" } : { azp: r.clientId, azpacr: "1", ver: "2.0" };
    return new SignJWT({
      ...caller,
      tid: r.tid,
      oid: "0a0a0a0a-0000-4000-8000-000000000001",
      roles: [],
      ...r.extraClaims,
    })
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .setIssuer(issuer(r.tid, r.version))
      .setAudience(r.audience)
      .setSubject("0a0a0a0a-0000-4000-8000-000000000001")
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(now + lifetime)
      .sign(key);
  }

  return {
    handle: async () => false,
    issuer,
    jwks: (): JSONWebKeySet => ({ keys: [publicJwk] }),
    signAccessToken: (r) => sign(real.privateKey, r),
    signForged: (r) => sign(forged.privateKey, r),
  };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestInit {
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
}

/** A webhook as the "portal" received it. */
export interface ReceivedWebhook {
  at: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: Record<string, unknown>;
  /** The status the sink answered with. */
  status: number;
}

/** What the sink answers: a status, optionally after a delay or with a body; may act first (e.g. PATCH the operation). */
export type SinkResponder = (
  webhook: ReceivedWebhook,
) =>
  | number
  | { status: number; delayMs?: number; body?: unknown }
  | Promise<number | { status: number; delayMs?: number; body?: unknown }>;

/**
 * A tiny http server that stands in for the portal's webhook route: it records every POST and
 * answers 200 unless told otherwise (`respond`).
 */
export interface WebhookSink {
  url: string;
  received: ReceivedWebhook[];
  respond(responder: SinkResponder | undefined): void;
  /** Webhooks of one operation (`body.id`). */
  forOperation(operationId: string): ReceivedWebhook[];
  /** Waits until `count` webhooks of the operation have arrived. */
  waitForOperation(operationId: string, count?: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  clear(): void;
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const received: ReceivedWebhook[] = [];
  let responder: SinkResponder | undefined;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // recorded as is; the test will notice
        }
        const webhook: ReceivedWebhook = { at: Date.now(), headers: req.headers, text, body, status: 200 };
        received.push(webhook);
        const answer = responder ? await responder(webhook) : 200;
        const {
          status,
          delayMs = 0,
          body: responseBody = {},
        } = typeof answer === "number" ? { status: answer } : answer;
        webhook.status = status;
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        answer200(res, status, responseBody);
      })().catch((error: unknown) => {
        console.error("[webhook sink]", error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/marketplace/webhook`;
  const forOperation = (operationId: string) => received.filter((w) => w.body.id === operationId);
  return {
    url,
    received,
    respond(next) {
      responder = next;
    },
    forOperation,
    waitForOperation: (operationId, count = 1, timeoutMs = 5000) =>
      waitFor(
        async () => (forOperation(operationId).length >= count ? forOperation(operationId) : undefined),
        timeoutMs,
      ),
    clear() {
      received.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function answer200(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export interface RunningEmulator {
  baseUrl: string;
  dataDir: string;
  idp: TestIdentityProvider;
  emulator: MarketplaceEmulator;
  /** The portal's webhook route, as seen by the emulator (a sink started for this emulator unless `webhookUrl` was given). */
  webhooks: WebhookSink | undefined;
  request(method: string, pathOrUrl: string, init?: RequestInit): Promise<Reply>;
  /** A Fulfillment API call with api-version and a valid publisher token unless overridden. */
  api(
    method: string,
    pathOrUrl: string,
    init?: RequestInit & { token?: string | null; apiVersion?: string | null },
  ): Promise<Reply>;
  publisherToken(overrides?: Partial<AccessTokenRequest>): Promise<string>;
  close(): Promise<void>;
}

/** A fresh data directory, removed when the test file ends (tests/support/temp-dirs.ts). */
export function tempDataDir(): string {
  return makeTempDir("marketplace-emulator-");
}

/**
 * Starts the emulator behind a real https server on a free port. Connections go to 127.0.0.1
 * (the server listens there, like sandbox/server.ts) and are verified against the sandbox CA.
 */
export async function startEmulator(
  options: {
    dataDir?: string;
    settings?: Partial<EmulatorSettings>;
    webhookUrl?: string;
    variants?: VariantRequest;
  } = {},
): Promise<RunningEmulator> {
  const dataDir = options.dataDir ?? tempDataDir();
  const tls = ensureSandboxTls(dataDir);
  const ca = readFileSync(tls.caPath, "utf8");
  let emulator: MarketplaceEmulator | undefined;
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void (async () => {
      if (emulator && (await emulator.handle(req, res))) return;
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "NotFound", message: "not the emulator's" } }));
    })().catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `https://localhost:${port}`;
  const idp = await createTestIdentityProvider(baseUrl);
  // Never the real portal on :3000: webhooks go to a sink of this test (or the URL given).
  const sink = options.webhookUrl === undefined ? await startWebhookSink() : undefined;
  emulator = await createMarketplaceEmulator({
    baseUrl,
    dataDir,
    portalUrl: "http://localhost:3000",
    landingUrl: LANDING_URL,
    directory,
    catalog,
    idp,
    webhookUrl: options.webhookUrl ?? sink?.url,
    // Short windows so operations settle quickly in tests.
    settings: {
      operationDelayMs: 300,
      ackTimeoutMs: 200,
      webhookBackoffMs: 50,
      webhookMaxAttempts: 3,
      webhookTimeoutMs: 2000,
      ...options.settings,
    },
    ...(options.variants ? { variants: options.variants } : {}),
  });

  const request = (method: string, pathOrUrl: string, init: RequestInit = {}) =>
    send(ca, baseUrl, method, pathOrUrl, init);
  const publisherToken = (overrides: Partial<AccessTokenRequest> = {}) =>
    idp.signAccessToken({
      tid: PUBLISHER_TENANT,
      clientId: FULFILLMENT_APP,
      audience: MARKETPLACE_API_APP_ID,
      version: 1,
      ...overrides,
    });
  const running: RunningEmulator = {
    baseUrl,
    dataDir,
    idp,
    emulator,
    request,
    publisherToken,
    webhooks: sink,
    async api(method, pathOrUrl, init = {}) {
      const url = new URL(pathOrUrl, baseUrl);
      const apiVersion = init.apiVersion === undefined ? API_VERSION : init.apiVersion;
      if (apiVersion !== null && !url.searchParams.has("api-version")) url.searchParams.set("api-version", apiVersion);
      const token = init.token === undefined ? await publisherToken() : init.token;
      const headers: Record<string, string> = {
        ...(token !== null ? { authorization: `Bearer ${token}` } : {}),
        ...init.headers,
      };
      return request(method, url.toString(), { ...init, headers });
    },
    async close() {
      await emulator?.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sink?.close();
    },
  };
  return running;
}

function send(ca: string, baseUrl: string, method: string, pathOrUrl: string, init: RequestInit): Promise<Reply> {
  const url = new URL(pathOrUrl, baseUrl);
  const body =
    init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  const headers: Record<string, string> = {
    ...(body !== undefined && typeof init.body !== "string" ? { "content-type": "application/json" } : {}),
    ...init.headers,
  };
  if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ca, family: 4 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface PurchaseReply {
  subscriptionId: string;
  token: string;
  landingUrl: string;
  tokenExpiresAt: string;
}

export async function buy(emu: RunningEmulator, body: Record<string, unknown>): Promise<PurchaseReply> {
  const reply = await emu.request("POST", "/sandbox-api/purchases", { body: { beneficiary: ALICE, ...body } });
  if (reply.status !== 201) throw new Error(`purchase failed: ${reply.status} ${reply.text}`);
  return reply.json<PurchaseReply>();
}

/** Buys and activates; returns the subscription id. */
export async function buyActive(emu: RunningEmulator, body: Record<string, unknown>): Promise<string> {
  const { subscriptionId } = await buy(emu, body);
  const activation = await emu.api("POST", `/api/saas/subscriptions/${subscriptionId}/activate`, {
    body: { planId: body.planId, ...(body.quantity !== undefined ? { quantity: body.quantity } : {}) },
  });
  if (activation.status !== 200) throw new Error(`activation failed: ${activation.status} ${activation.text}`);
  return subscriptionId;
}
