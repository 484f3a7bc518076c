/**
 * Global set-up of the integration project: a real sandbox over https on a free port and a
 * throw-away database (PostgreSQL by default; TEST_DATABASE=embedded for PGlite). Worker processes
 * are forked after this runs, so they inherit the environment set here — NODE_EXTRA_CA_CERTS
 * included, which Node reads only at process start.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { startSandbox } from "../../sandbox/server";
import { ensureSandboxTls } from "../../sandbox/tls";
import { createTestDatabase } from "./database";
import { freePort } from "./free-port";
import { portalEnvForSandbox } from "./sandbox-env";

export default async function setup() {
  const kind = process.env.TEST_DATABASE === "embedded" ? "embedded" : "postgresql";
  // One directory per database kind: npm test runs both kinds side by side.
  const dataDir = path.resolve(`.data/test-integration-sandbox-${kind}`);
  rmSync(path.join(dataDir, "marketplace-state.json"), { force: true });
  mkdirSync(dataDir, { recursive: true });
  const tls = ensureSandboxTls(dataDir);
  const port = await freePort();
  const portalUrl = "http://localhost:3999";
  const sandbox = await startSandbox({ port, dataDir, portalUrl });
  const database = await createTestDatabase(kind, "int").catch(async (error: unknown) => {
    await sandbox.close();
    throw error;
  });
  delete process.env.DATABASE_URL;
  Object.assign(process.env, portalEnvForSandbox(sandbox.baseUrl, portalUrl), database.env, {
    NODE_EXTRA_CA_CERTS: tls.caPath,
    SANDBOX_URL: sandbox.baseUrl,
    // Where the sandbox keeps the fulfillment app's certificate and the projected workload-identity token.
    SANDBOX_DATA_DIR: dataDir,
    // The hand-off's generated key beside it (not the shared default file).
    HANDOFF_KEY_FILE: path.join(dataDir, "handoff-signing-key.json"),
    MARKETPLACE_MAX_RETRIES: "2",
    MARKETPLACE_TIMEOUT_MS: "3000",
    // A job whose process "died" in a test is taken over within seconds, not a minute.
    JOB_MAINTENANCE_INTERVAL_SECONDS: "1",
    NODE_ENV: "test",
    // Mail goes to the sandbox's inbox (sandbox/inbox), over STARTTLS with its certificate.
    SMTP_HOST: "localhost",
    SMTP_PORT: String(sandbox.smtpPort),
    MAIL_FROM: "Contoso SaaS <no-reply@contoso.example>",
    // Quick retries, so a test sees a failing send retried and given up within seconds.
    NOTIFY_RETRY_BASE_SECONDS: "1",
    NOTIFY_RETRY_MAX_DELAY_SECONDS: "2",
    NOTIFY_RETRY_WINDOW_HOURS: "0.002",
  });
  return async () => {
    await sandbox.close();
    await database.drop();
  };
}
