/**
 * The portal's webhook fast path without Next.js in the process, for the webhook benchmark's third
 * column: a bare Node `http` server handing each POST to createWebhookFastPath — what the
 * standalone server.js does before Next.js (verification, validation, the event and its job in one
 * statement), minus everything else the web instance's process holds. Started by bench/webhooks.ts
 * with the portal's environment (react-server condition); prints `listening <port>` when ready.
 */
import { createServer } from "node:http";
import { startJobEngine } from "../lib/jobs/engine";
import { jobDefinitions } from "../lib/jobs/registry";
import { createWebhookFastPath } from "../lib/webhooks/serve-webhook-node";

await startJobEngine(jobDefinitions, { maintenance: false });
const serveWebhook = createWebhookFastPath(["/"]);
const server = createServer((req, res) => {
  if (!serveWebhook(req, res)) res.writeHead(404).end();
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : 0}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
