/**
 * npm run bench — performance of the portal against the sandbox on PostgreSQL, production build.
 * Prints a p50/p95 table. Benchmarks are measurements, never pass/fail tests.
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
 *
 * BENCH_ONLY=buyer,admin,metering,webhooks,entitlements runs some sections only.
 *
 * Needs `next build` first (the script runs it when .next/BUILD_ID is missing) and PostgreSQL
 * (TEST_DATABASE_SERVER_URL, default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { spawn, spawnSync } from "node:child_process";
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
import { benchAdmin } from "./admin";
import { benchEntitlements } from "./entitlements";
import { benchMetering } from "./metering";
import { benchWebhooks } from "./webhooks";
import { printTable, type BenchRow } from "./stats";

const iterations = Number(process.env.BENCH_ITERATIONS ?? 30);
const only = process.env.BENCH_ONLY?.split(",").map((name) => name.trim());
const wants = (section: "buyer" | "admin" | "metering" | "webhooks" | "entitlements") =>
  !only || only.includes(section);
const next = path.resolve("node_modules/next/dist/bin/next");
if (!existsSync(".next/BUILD_ID"))
  spawnSync(process.execPath, [next, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });

const dataDir = path.resolve(".data/bench-sandbox");
const tls = ensureSandboxTls(dataDir);
const portalPort = await freePort();
const portalUrl = `http://localhost:${portalPort}`;
const sandbox = await startSandbox({ port: await freePort(), dataDir, portalUrl });
const control = sandboxControl(sandbox.baseUrl, { caPath: tls.caPath });
const database = await createTestDatabase("postgresql", "bench");
const portal = spawn(process.execPath, [next, "start", "-p", String(portalPort)], {
  env: {
    ...process.env,
    ...portalEnvForSandbox(sandbox.baseUrl, portalUrl),
    ...database.env,
    NODE_EXTRA_CA_CERTS: tls.caPath,
    DATABASE_MIGRATE_ON_START: "true",
    LOG_LEVEL: "error",
    NODE_ENV: "production",
    METERING_SUBMIT_INTERVAL_MINUTES: "0",
    METERING_RATE_LIMIT_PER_MINUTE: "0",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
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
  await waitForUrl(`${portalUrl}/api/health`, { timeoutMs: 120_000 });
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
  if (wants("webhooks")) await benchWebhooks(shared);
} finally {
  await browser.close();
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
    if (kind === "plan") await page.getByRole("radio", { name: /Enterprise/ }).check();
    if (kind === "seats") await page.getByLabel("Number of seats").fill("9");
    if (kind === "cancel") await page.getByLabel(/I understand that cancelling/).check();
    const started = performance.now();
    await page
      .getByRole("button", {
        name: kind === "plan" ? "Change plan" : kind === "seats" ? "Change seats" : "Cancel subscription",
      })
      .click();
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
