/**
 * npm run worker — the portal's job workers in a process of their own, without HTTP, from this
 * checkout (the artefact's `node worker.js` runs the same start-up, lib/startup.ts). Reads .env (or
 * .env.example) like the other scripts; needs PostgreSQL (DATABASE_URL). Beside it, web instances
 * run with WORKERS_ENABLED=false (README "Production setup").
 */
import { localEnvironment, relaunchTrustingSandboxCa } from "./env-file";

const env = localEnvironment();
for (const [key, value] of Object.entries(env)) process.env[key] ??= value;
relaunchTrustingSandboxCa(env);

const { startWorker } = await import("../lib/startup");
await startWorker();
