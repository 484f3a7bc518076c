/**
 * The local stand-in for Microsoft: an Entra-like identity provider and the commercial
 * marketplace emulator (Fulfillment API v2, purchase page), on one https origin.
 *
 *   npm run sandbox           # https://localhost:8443
 *
 * Environment: SANDBOX_PORT (8443), SANDBOX_HOST (localhost), SANDBOX_DATA_DIR (.data/sandbox),
 * PORTAL_URL (http://localhost:3000), LANDING_PATH (/landing),
 * WEBHOOK_URL (${PORTAL_URL}/api/marketplace/webhook).
 */
import { startSandbox } from "./server";

const sandbox = await startSandbox({
  port: Number(process.env.SANDBOX_PORT ?? 8443),
  host: process.env.SANDBOX_HOST ?? "localhost",
  dataDir: process.env.SANDBOX_DATA_DIR ?? ".data/sandbox",
  portalUrl: process.env.PORTAL_URL ?? "http://localhost:3000",
  landingPath: process.env.LANDING_PATH ?? "/landing",
  ...(process.env.WEBHOOK_URL ? { webhookUrl: process.env.WEBHOOK_URL } : {}),
});
console.log(`[sandbox] ready on ${sandbox.baseUrl} (CA: ${sandbox.caPath})`);
console.log(`[sandbox] purchase page: ${sandbox.baseUrl}/purchase`);
console.log(`[sandbox] webhooks go to ${sandbox.options.webhookUrl ?? "?"}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => { void sandbox.close().then(() => process.exit(0)); });
}
