/**
 * The portal's own marketplace client, configured from the environment, against a marketplace
 * emulator that speaks plain http on loopback (the sandbox is https only, so this file serves a
 * token endpoint and one Fulfillment call itself): the token comes from the emulator's Entra-like
 * token URL through the portal's token provider, and is sent to the Fulfillment call.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

const tenant = "11111111-1111-4111-8111-111111111111";
const clientId = "f0f00000-0000-4000-8000-00000000f001";
const secret = "emulator-secret";
const subscriptionId = "6a2e0f6d-2b9b-4c36-8a0e-2f5f7f0d0c01";
const subscription = {
  id: subscriptionId,
  publisherId: "contoso",
  offerId: "contoso-analytics",
  name: "Over plain http",
  saasSubscriptionStatus: "Subscribed",
  planId: "basic",
  quantity: null,
  beneficiary: {
    emailId: "alice@fabrikam.example",
    objectId: "b2000000-0000-4000-8000-000000000001",
    tenantId: "22222222-2222-4222-8222-222222222222",
  },
  purchaser: {
    emailId: "alice@fabrikam.example",
    objectId: "b2000000-0000-4000-8000-000000000001",
    tenantId: "22222222-2222-4222-8222-222222222222",
  },
  term: { termUnit: "P1M", startDate: "2026-11-01T00:00:00Z", endDate: "2026-11-30T00:00:00Z" },
  autoRenew: true,
  isTest: true,
  isFreeTrial: false,
  allowedCustomerOperations: ["Read", "Update", "Delete"],
  sandboxType: "None",
  sessionMode: "None",
};

let server: Server;
let origin: string;
let tokenRequests: URLSearchParams[] = [];
let apiRequests: { url: string; authorization?: string }[] = [];
let refuseTokens = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      if (req.method === "POST" && req.url === `/${tenant}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(body);
        tokenRequests.push(form);
        if (refuseTokens || form.get("client_secret") !== secret)
          return reply(401, {
            error: "invalid_client",
            error_description: "AADSTS7000215: Invalid client secret provided.",
          });
        return reply(200, {
          token_type: "Bearer",
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: `emulator-token-${tokenRequests.length}`,
        });
      }
      apiRequests.push({ url: req.url ?? "", authorization: req.headers.authorization });
      if (req.method === "GET" && req.url === `/api/saas/subscriptions/${subscriptionId}?api-version=2018-08-31`) {
        return req.headers.authorization?.startsWith("Bearer emulator-token-")
          ? reply(200, subscription)
          : reply(401, { error: { code: "Unauthorized" } });
      }
      reply(404, { error: { code: "NotFound" } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

const globalForMarketplace = globalThis as { __marketplaceClient?: unknown };

/** The portal's client as the app builds it: from the environment, with a fresh module graph. */
async function portalMarketplace(env: Record<string, string>) {
  vi.resetModules();
  vi.unstubAllEnvs();
  delete globalForMarketplace.__marketplaceClient;
  for (const [key, value] of Object.entries({
    ENTRA_AUTHORITY_HOST: origin,
    MARKETPLACE_API_BASE: `${origin}/api`,
    MARKETPLACE_TENANT_ID: tenant,
    MARKETPLACE_CLIENT_ID: clientId,
    MARKETPLACE_CLIENT_SECRET: secret,
    NODE_ENV: "development",
    ...env,
  }))
    vi.stubEnv(key, value);
  const { marketplace } = await import("@/lib/marketplace");
  return marketplace();
}

beforeEach(() => {
  tokenRequests = [];
  apiRequests = [];
  refuseTokens = false;
});
afterAll(() => {
  vi.unstubAllEnvs();
  delete globalForMarketplace.__marketplaceClient;
});

describe("a marketplace emulator on plain http (loopback, outside production)", () => {
  it("MSAL itself refuses an http authority, which is why the portal does not use it there", async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId,
        clientSecret: secret,
        authority: `${origin}/${tenant}`,
        knownAuthorities: [new URL(origin).host],
      },
    });
    await expect(
      app.acquireTokenByClientCredential({ scopes: ["20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default"] }),
    ).rejects.toMatchObject({ errorCode: "authority_uri_insecure" });
    expect(tokenRequests).toHaveLength(0);
  });

  it("gets a client-credentials token from the emulator and calls the Fulfillment API with it; the token is reused", async () => {
    const client = await portalMarketplace({});
    await expect(client.getSubscription(subscriptionId)).resolves.toMatchObject({
      id: subscriptionId,
      name: "Over plain http",
      saasSubscriptionStatus: "Subscribed",
    });
    await expect(client.getSubscription(subscriptionId)).resolves.toMatchObject({ id: subscriptionId });
    expect(tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(tokenRequests[0]!)).toMatchObject({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
      scope: "20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default",
    });
    expect(apiRequests.map((request) => request.authorization)).toEqual([
      "Bearer emulator-token-1",
      "Bearer emulator-token-1",
    ]);
  });

  it("reports the emulator's refusal as the portal's authentication error, with the OAuth error and AADSTS codes", async () => {
    refuseTokens = true;
    const client = await portalMarketplace({});
    await expect(client.getSubscription(subscriptionId)).rejects.toMatchObject({
      kind: "authentication",
      message: expect.stringContaining("(invalid_client, AADSTS7000215)"),
    });
    expect(apiRequests).toHaveLength(0);
  });

  it("is refused at start-up in production, and for a host that is not loopback", async () => {
    await expect(portalMarketplace({ NODE_ENV: "production" })).rejects.toThrow(
      /ENTRA_AUTHORITY_HOST: must be an https:\/\/ URL \(plain http:\/\/ to a local emulator is allowed only when NODE_ENV is not production\)/,
    );
    await expect(portalMarketplace({ ENTRA_AUTHORITY_HOST: "http://emulator.example:9000" })).rejects.toThrow(
      /ENTRA_AUTHORITY_HOST: must be an https:\/\/ URL \(plain http:\/\/ is allowed only to a local emulator/,
    );
    expect(tokenRequests).toHaveLength(0);
  });
});
