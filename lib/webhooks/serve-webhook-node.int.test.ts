/**
 * The standalone server's webhook fast path (lib/webhooks/serve-webhook-node.ts, docs/decisions/0023)
 * on a real Node `http` server, as scripts/standalone/server.js mounts it in front of Next.js (here a
 * stand-in that answers 404 "next" for what the fast path leaves), receiving the sandbox's signed
 * deliveries on a custom WEBHOOK_PATH: what it records, answers and leaves to Next.js.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { webhookEnv } from "@/lib/env";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { createWebhookFastPath } from "./serve-webhook-node";
import { DEFAULT_WEBHOOK_PATH, webhookPaths } from "./webhook-paths";

const CUSTOM_PATH = "/hooks/microsoft-marketplace";
const sandbox = sandboxControl();
let server: Server;
let base: string;
/** Microsoft's deliveries as they arrived (to replay them). */
const arrived: Array<{ authorization: string; body: string }> = [];

beforeAll(async () => {
  const serveWebhook = createWebhookFastPath(webhookPaths(CUSTOM_PATH));
  server = createServer((req, res) => {
    if (req.headers.authorization?.startsWith("Bearer ey")) {
      // Keep a copy of each signed delivery as it passes (the fast path reads the stream itself).
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () =>
        arrived.push({ authorization: req.headers.authorization ?? "", body: Buffer.concat(chunks).toString() }),
      );
    }
    if (serveWebhook(req, res)) return;
    res.writeHead(404, { "content-type": "text/plain" }).end("next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await sandbox.settings({ webhookUrl: `${base}${CUSTOM_PATH}` });
});

afterAll(async () => {
  await sandbox.settings({ webhookUrl: null });
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await disconnectDatabase();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

/** A raw request, for what fetch will not send: a Content-Length larger than the body. */
function rawPost(
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: "POST", headers }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString() }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("the webhook fast path", () => {
  it("records Microsoft's delivery on the custom path once; a replay is a duplicate, with the JSON and security headers Next.js gives", async () => {
    const bought = await sandbox.purchase({
      offerId: "contoso-backup",
      planId: "team-auto",
      quantity: 3,
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
      name: `Fast path ${Date.now()}`,
    });
    const [event] = await until(
      () => db().webhookEvent.findMany({ where: { subscriptionId: bought.subscriptionId } }),
      (rows) => rows.length > 0,
      "the Subscribe delivery recorded",
    );
    expect(event).toMatchObject({ action: "Subscribe", subscriptionId: bought.subscriptionId });
    const delivery = arrived.find((entry) => entry.body.includes(bought.subscriptionId));
    expect(delivery).toBeDefined();

    for (const path of [CUSTOM_PATH, DEFAULT_WEBHOOK_PATH]) {
      const replay = await post(`${path}?from=retry`, delivery!.body, { authorization: delivery!.authorization });
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ result: "duplicate", eventId: event!.id });
      expect(Object.fromEntries(replay.headers)).toMatchObject({
        "content-type": "application/json",
        "cache-control": "no-store, no-transform",
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "same-origin",
        "permissions-policy": expect.stringContaining("camera=()"),
      });
      expect(replay.headers.get("strict-transport-security")).toBeNull();
    }
    expect(await db().webhookEvent.count({ where: { subscriptionId: bought.subscriptionId } })).toBe(1);

    // Behind a proxy that terminated TLS, as next.config.ts does for every response.
    const behindTls = await post(CUSTOM_PATH, delivery!.body, {
      authorization: delivery!.authorization,
      "x-forwarded-proto": "https",
    });
    expect(behindTls.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });

  it("refuses a forged token (401) and a malformed body (400 with the reason), storing nothing", async () => {
    const before = await db().webhookEvent.count();
    const forged = await post(CUSTOM_PATH, JSON.stringify({ id: "x" }), { authorization: "Bearer not-a-token" });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: "Unauthorized" });
    const genuine = arrived.at(-1)!;
    const malformed = await post(CUSTOM_PATH, "{not json", { authorization: genuine.authorization });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: "The body is not valid JSON." });
    expect(await db().webhookEvent.count()).toBe(before);
  });

  it("answers 413 to a body declared over the limit without reading it, and goes on serving (chunked bodies: read-limited-body.test.ts)", async () => {
    const limit = webhookEnv().WEBHOOK_MAX_BODY_BYTES;
    const declared = await rawPost(CUSTOM_PATH, Buffer.alloc(16, "a"), {
      "content-type": "application/json",
      "content-length": String(limit + 1),
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({ error: `The body is larger than ${limit} bytes.` });

    // The server goes on serving.
    expect((await post(CUSTOM_PATH, "{}", { authorization: "Bearer x" })).status).toBe(401);
  });

  it("leaves every other request to Next.js: other methods on the path, other paths, a look-alike path", async () => {
    for (const [method, path] of [
      ["GET", CUSTOM_PATH],
      ["PUT", DEFAULT_WEBHOOK_PATH],
      ["POST", `${DEFAULT_WEBHOOK_PATH}/`],
      ["POST", "/api/marketplace/webhooks"],
      ["POST", "/api/usage"],
    ] as const) {
      const response = await fetch(`${base}${path}`, { method, ...(method === "GET" ? {} : { body: "{}" }) });
      expect([method, path, response.status, await response.text()]).toEqual([method, path, 404, "next"]);
    }
  });
});
