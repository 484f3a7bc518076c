/**
 * npm run dev            → the sandbox (https://localhost:8443) and the portal (`next dev`, http://localhost:3000)
 * npm run dev -- --prod  → the same with `npm run build && npm start` (the standalone artefact)
 *
 * The portal trusts the sandbox's local CA through NODE_EXTRA_CA_CERTS (Node reads it only from
 * the process environment at start, so it is set here rather than in .env).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ensureSandboxTls } from "../sandbox/tls";
import { localEnvironment } from "./env-file";
import { waitForUrl } from "./wait-for-url";

const production = process.argv.includes("--prod");
const env = localEnvironment();
const sandboxDataDir = path.resolve(env.SANDBOX_DATA_DIR ?? ".data/sandbox");
const tls = ensureSandboxTls(sandboxDataDir);
const sandboxPort = env.SANDBOX_PORT ?? "8443";
const portalUrl = env.PORTAL_URL ?? env.PUBLIC_BASE_URL ?? "http://localhost:3000";
const portalPort = new URL(portalUrl).port || "3000";
// From process.env (which `env` already holds): Next's global types, reached through any portal
// module, make NODE_ENV a required key of the environment spawn takes; Next sets it itself.
const childEnv = {
  ...process.env,
  ...env,
  NODE_EXTRA_CA_CERTS: tls.caPath,
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
};
const children: ChildProcess[] = [];

function run(name: string, command: string, args: string[]) {
  const child = spawn(command, args, { env: childEnv, stdio: "inherit" });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (signal !== "SIGTERM" && signal !== "SIGINT") {
      console.error(`[dev] ${name} exited (${signal ?? code}); stopping.`);
      shutdown(code ?? 1);
    }
  });
  return child;
}

function shutdown(code = 0) {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

run("sandbox", process.execPath, ["--import", "tsx", "sandbox/main.ts"]);
await waitForUrl(`https://localhost:${sandboxPort}/common/v2.0/.well-known/openid-configuration`, {
  ca: tls.caPath,
  timeoutMs: 60_000,
});

const next = path.resolve("node_modules/next/dist/bin/next");
if (production) {
  const build = spawn("npm", ["run", "build"], { env: childEnv, stdio: "inherit" });
  const code = await new Promise<number | null>((resolve) => build.on("exit", resolve));
  if (code !== 0) shutdown(code ?? 1);
  run("portal", process.execPath, ["--import", "tsx", "scripts/start.ts", "-p", portalPort]);
} else {
  run("portal", process.execPath, [next, "dev", "-p", portalPort]);
}
await waitForUrl(`${portalUrl}/api/health`, { timeoutMs: 180_000 });
console.log(`
  Portal:         ${portalUrl}
  Sandbox:        https://localhost:${sandboxPort}   (local stand-in for Microsoft)
  Start here:     https://localhost:${sandboxPort}/purchase   (buy → land → sign in → activate)
  Sign in as:     alice@fabrikam.example / sandbox   (more accounts on the sign-in page)
  Your product:   https://localhost:${sandboxPort}/product   (the sample product: "Open …" lands here; events at /product/events)
  Inbox:          https://localhost:${sandboxPort}/inbox   (every mail the portal sends; Teams and Slack alerts at /inbox/chat)
`);
