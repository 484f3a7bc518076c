/**
 * `node server.js` — the standalone artefact's web instance, copied by scripts/complete-standalone.ts
 * over the server.js Next.js writes (kept beside it as server.next.js). It is Next.js's documented
 * custom server (`next()` and its request handler) with one addition: a POST to Microsoft's webhook
 * is answered before Next.js's request pipeline, by the same code as the route handler, compiled
 * into instrumentation.js (docs/decisions/0023). Every other request goes to Next.js unchanged.
 *
 * Environment as Next.js's server.js: PORT (3000), HOSTNAME (0.0.0.0), KEEP_ALIVE_TIMEOUT (ms).
 * Stops on SIGTERM/SIGINT: no new connections, requests in flight finish, then Next.js closes.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import module from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = module.createRequire(import.meta.url);
const dir = path.dirname(fileURLToPath(import.meta.url));

process.env.NODE_ENV = "production";
process.chdir(dir);

const port = parseInt(process.env.PORT ?? "", 10) || 3000;
const hostname = process.env.HOSTNAME || "0.0.0.0";
const keepAliveTimeout = parseInt(process.env.KEEP_ALIVE_TIMEOUT ?? "", 10);

// The configuration `next build` resolved, handed to Next.js as its own standalone server.js does
// (it embeds the same object; the file holds it for exactly this).
const { config } = JSON.parse(readFileSync(path.join(dir, ".next", "required-server-files.json"), "utf8"));
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify({ ...config, distDir: "./.next" });

const next = require("next");
const app = next({ dev: false, dir, hostname, port });
// Loads instrumentation.js and runs its register(): configuration checked, migrations, job engine.
await app.prepare();
const nextRequestHandler = app.getRequestHandler();
// The same module instance Next.js loaded (Node's require cache), so the same start-up state.
const { webhookFastPath } = require("./.next/server/instrumentation.js");
// Undefined only outside the Node.js runtime (never here); then Next.js serves the webhook too.
const serveWebhook = (await webhookFastPath()) ?? (() => false);

const server = createServer((req, res) => {
  if (serveWebhook(req, res)) return;
  nextRequestHandler(req, res).catch((error) => {
    console.error(`Failed to handle request for ${req.url}`, error);
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
  });
});
if (keepAliveTimeout >= 0) server.keepAliveTimeout = keepAliveTimeout;
server.on("error", (error) => {
  console.error("Failed to start server", error);
  process.exit(1);
});
server.listen(port, hostname, () => {
  const shown = hostname === "0.0.0.0" ? "localhost" : hostname;
  // As Next.js's own server sets them once listening (its server actions read the origin).
  process.env.PORT = String(port);
  process.env.__NEXT_PRIVATE_ORIGIN = `http://${shown}:${port}`;
  console.log(` ✓ Ready on http://${shown}:${port} (Next.js ${require("next/package.json").version})`);
});

let stopping = false;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    void app.close().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
  server.closeIdleConnections();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
