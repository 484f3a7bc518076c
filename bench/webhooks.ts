/**
 * Microsoft's webhook against the running portal (called from bench/run.ts), issue #3:
 *
 *   ingest          signed deliveries POSTed to /api/marketplace/webhook at 1, 16 and 64 in flight:
 *                   deliveries/s and p50/p99 latency, side by side with the floor — a bare Node
 *                   `http` server doing the same JWT verification and one INSERT
 *                   (bench/webhook-floor-server.ts) — and the ratio between the two
 *                   (WORKERS_ENABLED=false: the portal records deliveries but does not process them —
 *                   the HTTP path alone; the acknowledgement is then not measured)
 *   acknowledgement ChangePlan raised in the sandbox → the portal's PATCH operation received by
 *                   the sandbox (its delivery and acknowledgement timestamps), p50/p99
 *
 * Tokens come from the sandbox IdP as Microsoft's marketplace app (client credentials, v1 token
 * for the publisher's fulfillment app), exactly what the sandbox's own deliveries carry.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import pg from "pg";
import { seeded } from "../tests/support/sandbox-env";
import { percentile } from "./stats";
import { activeSubscriptions, FULFILLMENT_APP, load, sandboxToken, type SandboxBenchOptions } from "./support";

const MARKETPLACE_APP = { id: "20e940b3-4c77-4b0b-9a53-9e16a1b010a7", secret: "sandbox-marketplace-service-secret" };
const CONCURRENCY = [1, 16, 64];

interface IngestResult {
  target: "portal" | "floor";
  inFlight: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

function delivery(subscriptionId: string) {
  return JSON.stringify({
    id: randomUUID(),
    activityId: randomUUID(),
    subscriptionId,
    publisherId: "contoso",
    offerId: "contoso-analytics",
    planId: "basic",
    timeStamp: new Date().toISOString(),
    action: "Renew",
    status: "Succeeded",
    operationRequestSource: "Azure",
  });
}

async function startFloor(options: SandboxBenchOptions): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/webhook-floor-server.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      SANDBOX_URL: options.sandboxUrl,
      PUBLISHER_TENANT_ID: seeded.publisherTenant,
      WEBHOOK_AUDIENCE: FULFILLMENT_APP.id,
      NODE_EXTRA_CA_CERTS: options.caPath,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  const port = /listening (\d+)/.exec(chunk.toString())?.[1];
  if (!port) throw new Error(`the floor server did not start: ${chunk.toString()}`);
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill("SIGTERM") };
}

async function ingest(
  target: IngestResult["target"],
  url: string,
  token: string,
  subscriptionIds: string[],
  inFlight: number,
): Promise<IngestResult> {
  let errors = 0;
  const send = async (i: number) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: delivery(subscriptionIds[i % subscriptionIds.length] ?? ""),
    });
    await response.arrayBuffer();
    if (response.status !== 200) errors += 1;
  };
  await load(20, Math.min(inFlight, 4), send); // warm-up: connections, JWKS, JIT
  const total = Math.max(300, inFlight * 25);
  const run = await load(total, inFlight, send);
  return {
    target,
    inFlight,
    perSecond: (total / run.wallMs) * 1000,
    p50: percentile(run.latencies, 50),
    p99: percentile(run.latencies, 99),
    errors,
  };
}

/** Receipt of a ChangeQuantity webhook → the portal's PATCH Success, as the sandbox recorded them. */
async function acknowledgementLatency(options: SandboxBenchOptions, subscriptionIds: string[]): Promise<number[]> {
  const latencies: number[] = [];
  for (const [index, id] of subscriptionIds.entries()) {
    await options.control.act(id, "ChangePlan", { planId: "pro-seats" });
    const started = Date.now();
    for (;;) {
      const deliveries = await options.control.deliveries(id);
      const change = deliveries.find((candidate) => candidate.action === "ChangePlan");
      const received = change?.attempts.find((attempt) => attempt.status === 200);
      if (change?.acknowledgement && received) {
        if (change.acknowledgement.autoAccepted || change.acknowledgement.status !== "Success")
          throw new Error(
            `delivery ${index} was not acknowledged by the portal: ${JSON.stringify(change.acknowledgement)}`,
          );
        latencies.push(Date.parse(change.acknowledgement.at) - Date.parse(received.at));
        break;
      }
      if (Date.now() - started > 30_000) throw new Error(`no acknowledgement for ${id} after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  return latencies;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

export async function benchWebhooks(options: SandboxBenchOptions): Promise<void> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const floor = await startFloor(options);
  try {
    const token = await sandboxToken(options, MARKETPLACE_APP, `${FULFILLMENT_APP.id}/.default`);
    // Deliveries about real subscriptions; each has a new operation id, so each is recorded (no duplicates).
    const ids = await activeSubscriptions(options, client, 20, "Webhook bench");
    const portalUrl = `${options.portalUrl}/api/marketplace/webhook`;
    const results: IngestResult[] = [];
    for (const inFlight of CONCURRENCY) {
      results.push(await ingest("floor", floor.url, token, ids, inFlight));
      results.push(await ingest("portal", portalUrl, token, ids, inFlight));
    }
    console.log("\nWebhook ingest: the portal vs the floor (bare Node http + the same JWT verification + one INSERT)");
    console.log(
      "| in flight | portal deliveries/s | floor deliveries/s | portal / floor | portal p50 | portal p99 | floor p50 | floor p99 | errors |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|");
    for (const inFlight of CONCURRENCY) {
      const portal = results.find((row) => row.target === "portal" && row.inFlight === inFlight);
      const bare = results.find((row) => row.target === "floor" && row.inFlight === inFlight);
      if (!portal || !bare) continue;
      console.log(
        `| ${inFlight} | ${portal.perSecond.toFixed(0)} | ${bare.perSecond.toFixed(0)} | ${(portal.perSecond / bare.perSecond).toFixed(2)} | ${ms(portal.p50)} | ${ms(portal.p99)} | ${ms(bare.p50)} | ${ms(bare.p99)} | ${portal.errors + bare.errors} |`,
      );
    }
    if (process.env.WORKERS_ENABLED === "false") {
      console.log("\nWORKERS_ENABLED=false: the portal only records deliveries; acknowledgement latency not measured.");
      return;
    }
    // The ingest left thousands of events for the worker (each confirmed with Get Operation): let it
    // finish, so the acknowledgement latency is measured on an idle queue.
    const drainStarted = performance.now();
    for (;;) {
      const { rows } = await client.query<{ open: string }>(
        `SELECT count(*) AS open FROM pgboss.job WHERE state IN ('created', 'retry', 'active') AND start_after <= now()`,
      );
      if (Number(rows[0]?.open) === 0) break;
      if (performance.now() - drainStarted > 600_000)
        throw new Error(`the job queue did not drain in 10 min (${rows[0]?.open} open)`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const drainedMs = performance.now() - drainStarted;
    const acks = await acknowledgementLatency(
      options,
      await activeSubscriptions(options, client, Math.max(20, options.iterations), "Webhook ack bench"),
    );

    console.log(
      `\nThe worker finished processing the ingested deliveries ${(drainedMs / 1000).toFixed(1)} s after the last one was answered.`,
    );
    console.log(
      `\nAcknowledgement latency (ChangePlan webhook received → PATCH Success at the sandbox), n=${acks.length}: p50 ${ms(percentile(acks, 50))}, p99 ${ms(percentile(acks, 99))}, max ${ms(Math.max(...acks))}`,
    );
  } finally {
    floor.stop();
    await client.end();
  }
}
