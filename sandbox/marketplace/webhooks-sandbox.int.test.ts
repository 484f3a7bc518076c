/**
 * The whole sandbox (real IdP + emulator on one https origin): the webhook's token verifies
 * against the keys the IdP publishes, the way the portal checks it (marketplace-contract.md §8.4).
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tests/support/free-port";
import { startSandbox, type RunningSandbox } from "../server";
import {
  ALICE,
  FULFILLMENT_APP,
  PUBLISHER_TENANT,
  startWebhookSink,
  tempDataDir,
  type WebhookSink,
} from "./test-harness";

let sandbox: RunningSandbox;
let sink: WebhookSink;
let ca: string;

beforeAll(async () => {
  sink = await startWebhookSink();
  sandbox = await startSandbox({
    port: await freePort(),
    dataDir: tempDataDir(),
    portalUrl: "http://localhost:3999",
    webhookUrl: sink.url,
  });
  ca = readFileSync(sandbox.caPath, "utf8");
});
afterAll(async () => {
  await sandbox.close();
  await sink.close();
});

function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, sandbox.baseUrl),
      {
        method,
        ca,
        family: 4,
        headers:
          text === undefined
            ? {}
            : { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) },
      },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          data += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: (data ? JSON.parse(data) : undefined) as T }));
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

describe("webhook token from the sandbox IdP", () => {
  it("verifies with the tenant's published v1 keys, issuer, audience and caller", async () => {
    expect(sandbox.options.webhookUrl).toBe(sink.url);
    const purchase = await call<{ subscriptionId: string }>("POST", "/sandbox-api/purchases", {
      offerId: "contoso-backup",
      planId: "standard",
      beneficiary: ALICE,
    });
    expect(purchase.status).toBe(201);
    const started = await call<{ operationId: string }>(
      "POST",
      `/sandbox-api/subscriptions/${purchase.json.subscriptionId}/actions`,
      { action: "Unsubscribe" },
    );
    expect(started.status).toBe(201);
    const [webhook] = await sink.waitForOperation(started.json.operationId);

    const keys = await call<JSONWebKeySet>("GET", `/${PUBLISHER_TENANT}/discovery/keys`);
    const { payload } = await jwtVerify(
      String(webhook?.headers.authorization).replace(/^Bearer /, ""),
      createLocalJWKSet(keys.json),
      {
        issuer: `${sandbox.baseUrl}/${PUBLISHER_TENANT}/`,
        audience: FULFILLMENT_APP,
        algorithms: ["RS256"],
      },
    );
    expect(payload).toMatchObject({
      appid: "20e940b3-4c77-4b0b-9a53-9e16a1b010a7",
      tid: PUBLISHER_TENANT,
      ver: "1.0",
      idtyp: "app",
    });
    expect(webhook?.body).toMatchObject({
      action: "Unsubscribe",
      status: "Succeeded",
      operationRequestSource: "Azure",
      subscription: { saasSubscriptionStatus: "Unsubscribed" },
    });
  });

  it("defaults the webhook URL to the portal's route", async () => {
    const other = await startSandbox({
      port: await freePort(),
      dataDir: tempDataDir(),
      portalUrl: "http://localhost:3999/",
    });
    try {
      expect(other.options.webhookUrl).toBe("http://localhost:3999/api/marketplace/webhook");
    } finally {
      await other.close();
    }
  });
});
