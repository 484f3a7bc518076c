/**
 * npm run bench — performance of the portal against the sandbox on PostgreSQL, in the production
 * topology: the standalone artefact's web instance (`node server.js`, WORKERS_ENABLED=false) and a
 * worker process (`node worker.js`). Prints a p50/p95 table and the ratios to the goals of issue
 * #15. Benchmarks are measurements, never pass/fail tests.
 *
 *   landing: resolve + render   server time of GET /landing?token=… for a signed-in buyer (a new purchase each time)
 *   activation round trip       click "Activate subscription" → success page rendered, in Chromium
 *   admin console               list page (search/filters) and CSV export over 100k seeded subscriptions (bench/admin.ts)
 *   metered billing             POST /api/usage records/s (single and batch); aggregate + submit 10k subscription-hours (bench/metering.ts)
 *   customer mutations          click "Change plan" / "Change seats" / "Cancel subscription" → the pending
 *                               notice rendered, while the sandbox answers PATCH/DELETE after 2 s
 *   webhook                     ingest at 1/16/64 in flight vs a bare-Node floor, acknowledgement latency (bench/webhooks.ts)
 *   entitlements                GET /api/v1/entitlements by id and by tenant over 100k subscriptions, beside a
 *                               baseline route (bench/entitlements.ts)
 *   bundle                      first-load JavaScript (gzip) of every page of the build, the landing's against
 *                               the goal of 140 kB (bench/first-load-js.ts; alone: node --import tsx bench/first-load-js.ts)
 *
 * BENCH_ONLY=buyer,admin,metering,webhooks,entitlements,bundle runs some sections only. BENCH_PROFILE=1
 * writes a CPU profile of the web instance to .data/bench-profiles/ (open it in Chrome's DevTools).
 *
 * Needs `npm run build` first (the script runs it when there is no standalone artefact) and
 * PostgreSQL (TEST_DATABASE_SERVER_URL, default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { startSandbox } from "../sandbox/server";
import { ensureSandboxTls } from "../sandbox/tls";
import { createTestDatabase } from "../tests/support/database";
import { freePort } from "../tests/support/free-port";
import { sandboxControl } from "../tests/support/sandbox-control";
import { portalEnvForSandbox, seeded } from "../tests/support/sandbox-env";
import { waitForUrl } from "../scripts/wait-for-url";
import { completeStandalone, STANDALONE_SERVER, STANDALONE_WORKER } from "../scripts/standalone";
import { benchAdmin } from "./admin";
import { benchEntitlements } from "./entitlements";
import { measureFirstLoadJs, printFirstLoadJs } from "./first-load-js";
import { benchMetering } from "./metering";
import { benchWebhooks } from "./webhooks";
import { printTable, type BenchRow } from "./stats";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 30);
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());
const wants = (section: "buyer" | "admin" | "metering" | "webhooks" | "entitlements" | "bundle") =>
  !only || only.includes(section);
if (!existsSync(STANDALONE_SERVER))
  spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
completeStandalone();
if (wants("bundle")) {
  console.log("\nFirst-load JavaScript of the production build (gzip)");
  printFirstLoadJs(measureFirstLoadJs());
}

const dataDir = path.resolve(".data/bench-sandbox");
const tls = ensureSandboxTls(dataDir);
const portalPort = await freePort();
const portalUrl = `http://localhost:${portalPort}`;
const sandbox = await startSandbox({ port: await freePort(), dataDir, portalUrl });
const control = sandboxControl(sandbox.baseUrl, { caPath: tls.caPath });
const database = await createTestDatabase("postgresql", "bench");
const portalEnv = {
  ...process.env,
  ...portalEnvForSandbox(sandbox.baseUrl, portalUrl),
  ...database.env,
  NODE_EXTRA_CA_CERTS: tls.caPath,
  LOG_LEVEL: "error",
  NODE_ENV: "production" as const,
  METERING_SUBMIT_INTERVAL_MINUTES: "0",
  METERING_RATE_LIMIT_PER_MINUTE: "0",
};
const profile = process.env.BENCH_PROFILE
  ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(".data/bench-profiles")}`]
  : [];
const portal = spawn(process.execPath, [...profile, STANDALONE_SERVER], {
  env: {
    ...portalEnv,
    PORT: String(portalPort),
    HOSTNAME: "localhost",
    WORKERS_ENABLED: "false",
    DATABASE_MIGRATE_ON_START: "true",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
/** The worker process (`node worker.js`); the webhook bench stops it while it measures ingest alone. */
const worker = {
  process: undefined as ChildProcess | undefined,
  start() {
    this.process = spawn(process.execPath, [STANDALONE_WORKER], {
      env: portalEnv,
      stdio: ["ignore", "ignore", "inherit"],
    });
  },
  async stop() {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  },
};
const browser = await chromium.launch({
  executablePath: ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate)),
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
});

try {
  // The web instance migrates the fresh database first; then the worker starts beside it.
  await waitForUrl(`${portalUrl}/api/health`, { timeoutMs: 120_000 });
  worker.start();
  const rows: BenchRow[] = [];
  if (wants("buyer")) rows.push(...(await benchBuyer()));
  const shared = {
    portalUrl,
    databaseUrl: database.env.DATABASE_URL ?? "",
    sandboxUrl: sandbox.baseUrl,
    caPath: tls.caPath,
    control,
    iterations,
  };
  if (wants("admin"))
    rows.push(...(await benchAdmin({ browser, portalUrl, databaseUrl: shared.databaseUrl, iterations })));
  if (wants("metering")) rows.push(...(await benchMetering(shared)));
  if (wants("entitlements"))
    rows.push(...(await benchEntitlements({ portalUrl, databaseUrl: shared.databaseUrl, iterations })));
  console.log(`\nPortal on PostgreSQL against the sandbox (production build), ${new Date().toISOString()}`);
  if (rows.length > 0) printTable(rows);
  if (wants("webhooks")) await benchWebhooks({ ...shared, portalPid: portal.pid, portalEnv, worker });
} finally {
  await browser.close();
  await worker.stop();
  portal.kill("SIGTERM");
  await sandbox.close();
  await database.drop();
}

/** Landing, activation and customer mutations in Chromium, signed in through the real flow. */
async function benchBuyer(): Promise<BenchRow[]> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, baseURL: portalUrl });
  const page = await context.newPage();
  const buy = () =>
    control.purchase({
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 5,
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    });

  // Sign in once through the real flow; reuse the session cookie for server-time measurements.
  const first = await buy();
  await page.goto(`/landing?token=${encodeURIComponent(first.token)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await page.getByLabel("Email").fill(seeded.alice.email);
  await page.getByLabel("Password").fill("sandbox");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByTestId("subscription-name").waitFor();
  const cookie = (await context.cookies(portalUrl)).map((entry) => `${entry.name}=${entry.value}`).join("; ");

  const landing: number[] = [];
  for (let i = 0; i < iterations + 3; i += 1) {
    const purchase = await buy();
    const started = performance.now();
    const response = await fetch(`${portalUrl}/landing?token=${encodeURIComponent(purchase.token)}`, {
      headers: { cookie },
    });
    const html = await response.text();
    const elapsed = performance.now() - started;
    if (!html.includes("Set up your account"))
      throw new Error(`landing page did not render the setup form (status ${response.status})`);
    if (i >= 3) landing.push(elapsed); // the first requests warm up the server
  }

  const activation: number[] = [];
  const activated: string[] = [];
  for (let i = 0; i < Math.min(iterations, 21); i += 1) {
    const purchase = await buy();
    await page.goto(`/landing?token=${encodeURIComponent(purchase.token)}`);
    await page.getByLabel("Company name").fill("Fabrikam, Inc.");
    await page.getByLabel("Contact email").fill("it@fabrikam.example");
    await page.getByLabel(/I accept the terms/).check();
    const started = performance.now();
    await page.getByRole("button", { name: "Activate subscription" }).click();
    await page.getByRole("heading", { name: "Your subscription is active" }).waitFor();
    activation.push(performance.now() - started);
    activated.push(purchase.subscriptionId);
  }

  // Customer mutations while Microsoft answers slowly: the request must not wait for Microsoft.
  await control.addFault({ method: "PATCH", delayMs: 2000, times: 10_000 });
  await control.addFault({ method: "DELETE", delayMs: 2000, times: 10_000 });
  const mutations: Record<"plan" | "seats" | "cancel", number[]> = { plan: [], seats: [], cancel: [] };
  for (const [index, id] of activated.entries()) {
    const kind = (["plan", "seats", "cancel"] as const)[index % 3]!;
    await page.goto(kind === "cancel" ? `/account/subscriptions/${id}/cancel` : `/account/subscriptions/${id}`);
    // A plan or seat change is reviewed first (its consequences shown), then confirmed: the
    // confirmation's click is what is timed.
    if (kind === "plan") {
      await page.getByRole("radio", { name: /Enterprise/ }).check();
      await page.getByRole("button", { name: "Review plan change" }).click();
    }
    if (kind === "seats") {
      await page.getByLabel("Number of seats").fill("9");
      await page.getByRole("button", { name: "Review seat change" }).click();
    }
    if (kind === "cancel") await page.getByLabel(/I understand that cancelling/).check();
    const confirm =
      kind === "plan"
        ? page.getByRole("button", { name: /^Confirm change to / })
        : kind === "seats"
          ? page.getByRole("button", { name: "Confirm 9 seats" })
          : page.getByRole("button", { name: "Cancel subscription" });
    await confirm.waitFor();
    const started = performance.now();
    await confirm.click();
    await page.getByTestId("pending-change").waitFor();
    mutations[kind].push(performance.now() - started);
  }
  await control.clearFaults();

  return [
    { name: "landing: resolve + render (server, signed in)", samples: landing },
    { name: "activation round trip (browser click → active page)", samples: activation },
    { name: "plan change, Microsoft 2 s slow (click → pending shown)", samples: mutations.plan },
    { name: "seat change, Microsoft 2 s slow (click → pending shown)", samples: mutations.seats },
    { name: "cancel, Microsoft 2 s slow (click → pending shown)", samples: mutations.cancel },
  ];
}
