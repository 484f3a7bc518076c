/**
 * End-to-end tests in a real browser through the real sign-in: the sandbox (identity provider +
 * marketplace emulator) and the production artefact of the portal (.next/standalone, `npm start`):
 * so every run proves what is deployed.
 *
 * Database: E2E_DATABASE_URL (PostgreSQL), else an embedded PGlite directory (E2E_EMBEDDED_DIR). On
 * PostgreSQL the portal runs in the production topology: a web-only instance (`node server.js`,
 * WORKERS_ENABLED=false) and a worker process (`node worker.js`) beside it; on the embedded
 * database (one process only) the workers run inside the web instance.
 * `npm test` creates a fresh PostgreSQL database and runs `next build` first (scripts/test-all.ts).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { ensureSandboxTls } from "./sandbox/tls";
import { portalEnvForSandbox } from "./tests/support/sandbox-env";

const sandboxPort = Number(process.env.E2E_SANDBOX_PORT ?? 8543);
const portalPort = Number(process.env.E2E_PORTAL_PORT ?? 3100);
// The sandbox inbox's mail server (sandbox/inbox): its own port beside the sandbox's.
const smtpPort = Number(process.env.E2E_SMTP_PORT ?? sandboxPort + 1000);
export const sandboxUrl = `https://localhost:${sandboxPort}`;
export const portalUrl = `http://localhost:${portalPort}`;
const sandboxDataDir = path.resolve(process.env.E2E_SANDBOX_DATA_DIR ?? ".data/e2e-sandbox");
const tls = ensureSandboxTls(sandboxDataDir);
const database: Record<string, string> = process.env.E2E_DATABASE_URL
  ? { DATABASE_URL: process.env.E2E_DATABASE_URL }
  : { EMBEDDED_DATABASE_DIR: path.resolve(process.env.E2E_EMBEDDED_DIR ?? ".data/e2e-pglite") };

// Debian's chromium where present (no browser downloads on our machines); Playwright's own elsewhere.
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: portalUrl,
    ignoreHTTPSErrors: true,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: systemChromium,
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
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: "node --import tsx sandbox/main.ts",
      url: `${sandboxUrl}/common/v2.0/.well-known/openid-configuration`,
      ignoreHTTPSErrors: true,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        SANDBOX_PORT: String(sandboxPort),
        SANDBOX_DATA_DIR: sandboxDataDir,
        PORTAL_URL: portalUrl,
        SANDBOX_SMTP_PORT: String(smtpPort),
      },
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `test -f .next/standalone/server.js || npm run build; node --import tsx scripts/start.ts -p ${portalPort} -H localhost${process.env.E2E_DATABASE_URL ? " --worker-process" : ""}`,
      url: `${portalUrl}/api/health`,
      reuseExistingServer: false,
      timeout: 300_000,
      env: {
        ...portalEnvForSandbox(sandboxUrl, portalUrl),
        ...database,
        NODE_EXTRA_CA_CERTS: tls.caPath,
        DATABASE_MIGRATE_ON_START: "true",
        LOG_LEVEL: "warn",
        // Events to local receivers (the sandbox's sample product, a test's receiver): allowed explicitly.
        EVENT_ENDPOINT_ALLOWED_HOSTS: "localhost,127.0.0.1",
        // Mail to the sandbox's inbox; the team's alerts there too, and to its Teams and Slack receivers.
        SMTP_HOST: "localhost",
        SMTP_PORT: String(smtpPort),
        MAIL_FROM: "Contoso SaaS <no-reply@contoso.example>",
        NOTIFY_ALERT_EMAILS: "ops@contoso.example",
        NOTIFY_ALERT_TEAMS_URL: `${sandboxUrl}/inbox/teams/alerts`,
        NOTIFY_ALERT_SLACK_URL: `${sandboxUrl}/inbox/slack/alerts`,
        NOTIFY_WEBHOOK_ALLOWED_HOSTS: "localhost",
      },
      stdout: "ignore",
      stderr: "pipe",
    },
  ],
});
