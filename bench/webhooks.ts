/**
 * Microsoft's webhook against the running portal (called from bench/run.ts), issue #3:
 *
 *   ingest          signed deliveries POSTed to the web instance's /api/marketplace/webhook at 1, 16
 *                   and 64 in flight: deliveries/s and p50/p99 latency, side by side with the floor —
 *                   a bare Node `http` server doing the same JWT verification and one INSERT
 *                   (bench/webhook-floor-server.ts) — and the ratio between the two. Floor and
 *                   portal take turns, two rounds each, so both see the same machine. The worker
 *                   process is stopped meanwhile: in production it runs elsewhere, here it would
 *                   take the same two cores (its catching up is measured next).
 *   catching up     the worker process started again: time until every recorded delivery is processed
 *   acknowledgement ChangePlan raised in the sandbox → the portal's PATCH operation received by
 *                   the sandbox (its delivery and acknowledgement timestamps), p50/p99
 *
 * Tokens come from the sandbox IdP as Microsoft's marketplace app (client credentials, v1 token
 * for the publisher's fulfillment app), exactly what the sandbox's own deliveries carry.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import pg from "pg";
import { seeded } from "../tests/support/sandbox-env";
import { percentile } from "./stats";
import { activeSubscriptions, FULFILLMENT_APP, load, sandboxToken, type SandboxBenchOptions } from "./support";

const MARKETPLACE_APP = { id: "20e940b3-4c77-4b0b-9a53-9e16a1b010a7", secret: "sandbox-marketplace-service-secret" };
const CONCURRENCY = [1, 16, 64];
const ROUNDS = 2;

interface IngestResult {
  target: "portal" | "floor" | "receiver";
  inFlight: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time of the server process per delivery (Linux /proc), whatever else ran on the machine. */
  cpuMsPerDelivery?: number;
}

/** A process's CPU time so far (user + system, ms), from /proc; undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return undefined;
  // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(file, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
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

/** A comparison server in its own process (it prints `listening <port>` when ready). */
async function startServer(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; pid: number | undefined; stop: () => void }> {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  const port = /listening (\d+)/.exec(chunk.toString())?.[1];
  if (!port) throw new Error(`${args.at(-1)} did not start: ${chunk.toString()}`);
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid, stop: () => child.kill("SIGTERM") };
}

/** The floor: bare Node, the same JWT verification, one INSERT. */
const startFloor = (options: SandboxBenchOptions) =>
  startServer(["--import", "tsx", "bench/webhook-floor-server.ts"], {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    SANDBOX_URL: options.sandboxUrl,
    PUBLISHER_TENANT_ID: seeded.publisherTenant,
    WEBHOOK_AUDIENCE: FULFILLMENT_APP.id,
    NODE_EXTRA_CA_CERTS: options.caPath,
  });

/** The portal's webhook code (receiveWebhook) behind bare Node: the route without the framework. */
const startReceiver = (portalEnv: NodeJS.ProcessEnv) =>
  startServer(["--conditions=react-server", "--import", "tsx", "bench/webhook-receiver-server.ts"], portalEnv);

async function ingest(
  target: IngestResult["target"],
  server: { url: string; pid: number | undefined },
  token: string,
  subscriptionIds: string[],
  inFlight: number,
): Promise<IngestResult & { total: number; wallMs: number; latencies: number[]; cpuMs?: number }> {
  const { url } = server;
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
  const cpuBefore = cpuMs(server.pid);
  const run = await load(total, inFlight, send);
  const cpuAfter = cpuMs(server.pid);
  return {
    cpuMs: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
    target,
    inFlight,
    perSecond: (total / run.wallMs) * 1000,
    p50: percentile(run.latencies, 50),
    p99: percentile(run.latencies, 99),
    errors,
    total,
    wallMs: run.wallMs,
    latencies: run.latencies,
  };
}

/** Rounds of one target and concurrency as one result: all requests over all wall time. */
function combine(runs: Awaited<ReturnType<typeof ingest>>[]): IngestResult {
  const latencies = runs.flatMap((run) => run.latencies);
  const total = runs.reduce((sum, run) => sum + run.total, 0);
  const wallMs = runs.reduce((sum, run) => sum + run.wallMs, 0);
  const cpu = runs.every((run) => run.cpuMs !== undefined)
    ? runs.reduce((sum, run) => sum + (run.cpuMs ?? 0), 0) / total
    : undefined;
  return {
    cpuMsPerDelivery: cpu,
    target: runs[0]!.target,
    inFlight: runs[0]!.inFlight,
    perSecond: (total / wallMs) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
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
const cpu = (result: IngestResult) =>
  result.cpuMsPerDelivery === undefined ? "–" : `${result.cpuMsPerDelivery.toFixed(2)} ms`;

export async function benchWebhooks(
  options: SandboxBenchOptions & {
    portalPid: number | undefined;
    portalEnv: NodeJS.ProcessEnv;
    worker: { start(): void; stop(): Promise<void> };
  },
): Promise<void> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  const floor = await startFloor(options);
  const receiver = await startReceiver(options.portalEnv);
  try {
    const token = await sandboxToken(options, MARKETPLACE_APP, `${FULFILLMENT_APP.id}/.default`);
    // Deliveries about real subscriptions; each has a new operation id, so each is recorded (no duplicates).
    const ids = await activeSubscriptions(options, client, 20, "Webhook bench");
    const portal = { url: `${options.portalUrl}/api/marketplace/webhook`, pid: options.portalPid };
    await options.worker.stop();
    const results: IngestResult[] = [];
    for (const inFlight of CONCURRENCY) {
      const runs = {
        floor: [] as Awaited<ReturnType<typeof ingest>>[],
        portal: [] as Awaited<ReturnType<typeof ingest>>[],
        receiver: [] as Awaited<ReturnType<typeof ingest>>[],
      };
      for (let round = 0; round < ROUNDS; round += 1) {
        runs.floor.push(await ingest("floor", floor, token, ids, inFlight));
        runs.portal.push(await ingest("portal", portal, token, ids, inFlight));
        runs.receiver.push(await ingest("receiver", receiver, token, ids, inFlight));
      }
      results.push(combine(runs.floor), combine(runs.portal), combine(runs.receiver));
    }
    console.log(
      "\nWebhook ingest: the portal's web instance vs the floor (bare Node http + the same JWT verification + one INSERT); worker process stopped",
    );
    console.log(
      "| in flight | portal deliveries/s | floor deliveries/s | portal / floor | portal's code on bare Node / floor | portal p50 / p99 | floor p50 / p99 | CPU per delivery: portal / its code on bare Node / floor | errors |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|");
    for (const inFlight of CONCURRENCY) {
      const portal = results.find((row) => row.target === "portal" && row.inFlight === inFlight);
      const bare = results.find((row) => row.target === "floor" && row.inFlight === inFlight);
      const code = results.find((row) => row.target === "receiver" && row.inFlight === inFlight);
      if (!portal || !bare || !code) continue;
      console.log(
        `| ${inFlight} | ${portal.perSecond.toFixed(0)} | ${bare.perSecond.toFixed(0)} | **${(portal.perSecond / bare.perSecond).toFixed(2)}** | ${(code.perSecond / bare.perSecond).toFixed(2)} | ${ms(portal.p50)} / ${ms(portal.p99)} | ${ms(bare.p50)} / ${ms(bare.p99)} | ${cpu(portal)} / ${cpu(code)} / ${cpu(bare)} | ${portal.errors + bare.errors + code.errors} |`,
      );
    }
    // The ingest left thousands of events for the worker (each confirmed with Get Operation): start it
    // and let it finish, so the acknowledgement latency is measured on an idle queue.
    const { rows: waiting } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pgboss.job WHERE state IN ('created', 'retry', 'active')`,
    );
    const total = Number(waiting[0]?.n ?? 0);
    const drainStarted = performance.now();
    options.worker.start();
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
      `\nThe worker process, started after the ingest, processed the ${total} waiting jobs (the recorded deliveries) in ${(drainedMs / 1000).toFixed(1)} s (${((total / drainedMs) * 1000).toFixed(0)}/s).`,
    );
    console.log(
      `\nAcknowledgement latency (ChangePlan webhook received → PATCH Success at the sandbox), n=${acks.length}: p50 ${ms(percentile(acks, 50))}, p99 ${ms(percentile(acks, 99))}, max ${ms(Math.max(...acks))}`,
    );
  } finally {
    floor.stop();
    receiver.stop();
    await client.end();
  }
}
