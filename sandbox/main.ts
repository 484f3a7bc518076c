/**
 * The local stand-in for Microsoft: an Entra-like identity provider and the commercial
 * marketplace emulator (Fulfillment API v2, purchase page), on one https origin.
 *
 *   npm run sandbox           # https://localhost:8443
 *
 * Environment: SANDBOX_PORT (8443), SANDBOX_HOST (localhost), SANDBOX_DATA_DIR (.data/sandbox),
 * PORTAL_URL (http://localhost:3000), LANDING_PATH (/landing),
 * WEBHOOK_URL (${PORTAL_URL}/api/marketplace/webhook),
 * SANDBOX_VARIANTS (none; comma-separated variant names or "all", see sandbox/marketplace/README.md),
 * SANDBOX_SMTP_PORT (2525: the inbox's mail server, sandbox/inbox/README.md).
 */
import { parseVariantList, resolveVariants, unknownVariantsMessage } from "./marketplace/variants";
import { startSandbox } from "./server";

// Checked before anything starts, so a typo stops the sandbox with the list of known names.
const { enabled: variants, unknown } = resolveVariants(parseVariantList(process.env.SANDBOX_VARIANTS));
if (unknown.length > 0) {
  console.error(`[sandbox] SANDBOX_VARIANTS: ${unknownVariantsMessage(unknown)}`);
  process.exit(1);
}

const sandbox = await startSandbox({
  port: Number(process.env.SANDBOX_PORT ?? 8443),
  host: process.env.SANDBOX_HOST ?? "localhost",
  dataDir: process.env.SANDBOX_DATA_DIR ?? ".data/sandbox",
  portalUrl: process.env.PORTAL_URL ?? "http://localhost:3000",
  landingPath: process.env.LANDING_PATH ?? "/landing",
  ...(process.env.WEBHOOK_URL ? { webhookUrl: process.env.WEBHOOK_URL } : {}),
  variants,
  smtpPort: Number(process.env.SANDBOX_SMTP_PORT ?? 2525),
});
console.log(`[sandbox] ready on ${sandbox.baseUrl} (CA: ${sandbox.caPath})`);
console.log(`[sandbox] purchase page: ${sandbox.baseUrl}/purchase`);
console.log(`[sandbox] webhooks go to ${sandbox.options.webhookUrl ?? "?"}`);
console.log(`[sandbox] inbox: ${sandbox.baseUrl}/inbox (SMTP on localhost:${sandbox.smtpPort})`);
if (variants.length > 0)
  console.log(`[sandbox] variants on (not Microsoft's documented behaviour): ${variants.join(", ")}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
