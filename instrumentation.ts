/**
 * Start-up of the portal's server process: validate the configuration and the offer catalog once (a missing production
 * secret stops the boot with a message naming it) and, on the embedded database, apply pending
 * migrations.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startPortal } = await import("./lib/startup");
  await startPortal();
}

/**
 * A worker process without HTTP: `node worker.js` in the standalone artefact calls this, so it runs
 * the start-up Next.js compiled — the same code as the web instances (lib/startup.ts).
 */
export async function startWorkerProcess() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWorker } = await import("./lib/startup");
  await startWorker();
}

/**
 * The standalone server's webhook fast path (scripts/standalone/server.js calls this after Next.js
 * has run `register()`): Microsoft's webhook answered before Next.js's request pipeline, with the
 * same code as the route (docs/decisions/0023). Returns a filter that takes a webhook POST and
 * leaves every other request to Next.js.
 */
export async function webhookFastPath() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return undefined;
  const { createWebhookFastPath } = await import("./lib/webhooks/serve-webhook-node");
  return createWebhookFastPath();
}
