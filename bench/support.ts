/** What the sandbox-backed benchmarks share: HTTPS with the sandbox's CA, active subscriptions, a load loop. */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import type pg from "pg";
import type { sandboxControl } from "../tests/support/sandbox-control";
import { seeded } from "../tests/support/sandbox-env";

export const FULFILLMENT_APP = { id: "f0f00000-0000-4000-8000-00000000f001", secret: "sandbox-fulfillment-secret" };

export interface SandboxBenchOptions {
  portalUrl: string;
  databaseUrl: string;
  sandboxUrl: string;
  caPath: string;
  control: ReturnType<typeof sandboxControl>;
  iterations: number;
}

/** A client-credentials token from the sandbox IdP (publisher tenant). */
export async function sandboxToken(
  options: Pick<SandboxBenchOptions, "sandboxUrl" | "caPath">,
  client: { id: string; secret: string },
  scope: string,
): Promise<string> {
  const response = await https(
    `${options.sandboxUrl}/${seeded.publisherTenant}/oauth2/v2.0/token`,
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: client.id,
        client_secret: client.secret,
        scope,
      }).toString(),
    },
    readFileSync(options.caPath),
  );
  const accessToken = (JSON.parse(response.text) as { access_token?: string }).access_token;
  if (!accessToken) throw new Error(`no token from the sandbox: ${response.status} ${response.text}`);
  return accessToken;
}

export function https(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string },
  ca: Buffer,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: init.method,
        headers: { ...init.headers, ...(init.body ? { "content-length": String(Buffer.byteLength(init.body)) } : {}) },
        ca,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** Buys, activates (as the publisher's fulfillment app) and mirrors `count` basic-plan subscriptions. */
export async function activeSubscriptions(
  options: SandboxBenchOptions,
  client: pg.Client,
  count: number,
  name: string,
): Promise<string[]> {
  const ca = readFileSync(options.caPath);
  const accessToken = await sandboxToken(options, FULFILLMENT_APP, "20e940b3-4c77-4b0b-9a53-9e16a1b010a7/.default");
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { subscriptionId } = await options.control.purchase({
      offerId: "contoso-analytics",
      planId: "basic",
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
      name: `${name} ${i}`,
    });
    const activated = await https(
      `${options.sandboxUrl}/api/saas/subscriptions/${subscriptionId}/activate?api-version=2018-08-31`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ planId: "basic" }),
      },
      ca,
    );
    if (activated.status !== 200) throw new Error(`activation failed: ${activated.status} ${activated.text}`);
    ids.push(subscriptionId);
  }
  await client.query(`INSERT INTO "Tenant" (id, "updatedAt") VALUES ($1, now()) ON CONFLICT DO NOTHING`, [
    seeded.alice.tid,
  ]);
  await client.query(
    `
    INSERT INTO "Subscription" (id, "offerId", "planId", name, status, "beneficiaryTenantId", "beneficiaryObjectId", "purchaserTenantId", "purchaserObjectId", "allowedCustomerOperations", "termUnit", "updatedAt")
    SELECT id, 'contoso-analytics', 'basic', $4, 'Subscribed', $2, $3, $2, $3, ARRAY['Read','Update','Delete'], 'P1M', now() FROM unnest($1::text[]) AS id`,
    [ids, seeded.alice.tid, seeded.alice.oid, name],
  );
  return ids;
}

/** Runs `total` requests with `inFlight` at a time; returns each request's latency and the wall time. */
export async function load(
  total: number,
  inFlight: number,
  send: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < total) {
        const i = next;
        next += 1;
        const begin = performance.now();
        await send(i);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}
