/**
 * `node worker.js` — the portal's job workers without HTTP, beside `node server.js` in the standalone
 * artefact (copied here by scripts/complete-standalone.ts). It runs the start-up Next.js compiled
 * from instrumentation.ts, so a worker runs exactly the code the web instances run. Needs
 * PostgreSQL (DATABASE_URL); stops cleanly on SIGTERM. README "Production setup".
 */
import module from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = module.createRequire(import.meta.url);
const dir = path.dirname(fileURLToPath(import.meta.url));

// As server.js does: production mode, and paths relative to the artefact's directory.
process.env.NODE_ENV = "production";
process.env.NEXT_RUNTIME = "nodejs";
process.chdir(dir);

// As server.js does (through require("next")): Next.js's runtime environment first — AsyncLocalStorage
// on globalThis, which the compiled React and Next.js code in the job bundles expects. Without it their
// stores are stand-ins that throw "AsyncLocalStorage accessed in runtime where it is not available".
require("next/dist/server/node-environment");

const { startWorkerProcess } = require("./.next/server/instrumentation.js");
await startWorkerProcess();
