/**
 * npm start [-- -p 3000] [-H 0.0.0.0] [--worker-process]
 *
 * The production artefact (.next/standalone, see scripts/standalone.ts) from this checkout, as
 * `next start` ran the build: the checkout's .env when present (real environment variables win),
 * with its file paths made absolute. With --worker-process the job workers run in a process
 * of their own (`node worker.js`, PostgreSQL only) beside a web-only instance — the production
 * topology on one machine; the two stop together. A deployment runs `node server.js` and
 * `node worker.js` in the artefact's directory instead (README "Production setup").
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readEnvFile } from "./env-file";
import { completeStandalone, STANDALONE_SERVER, STANDALONE_WORKER, withRepositoryPaths } from "./standalone";

function option(names: string[]): string | undefined {
  const index = process.argv.findIndex((arg) => names.includes(arg));
  return index >= 0 ? process.argv[index + 1] : undefined;
}

try {
  completeStandalone();
} catch (error) {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const separateWorker = process.argv.includes("--worker-process");
const env = {
  ...withRepositoryPaths({ ...readEnvFile(".env"), ...process.env }),
  PORT: option(["-p", "--port"]) ?? process.env.PORT ?? "3000",
  // Not the shell's HOSTNAME (the machine's name), which Next.js's server would bind to.
  HOSTNAME: option(["-H", "--hostname"]) ?? "0.0.0.0",
};

const children: ChildProcess[] = [];
let stopping = false;
const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));
function stop(code: number) {
  if (!stopping) {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  }
  void Promise.all(children.map(exited)).then(() => process.exit(code));
}
function run(entry: string, extra: Record<string, string>) {
  // process.env first for its type (Next.js's global types make NODE_ENV a required key); env holds it all.
  const child = spawn(process.execPath, [entry], { stdio: "inherit", env: { ...process.env, ...env, ...extra } });
  children.push(child);
  // One of the two ended on its own (a boot error, a crash): stop the other too, and say so.
  child.on("exit", (code, signal) => {
    if (stopping) return stop(0);
    console.error(`[start] ${entry} exited (${signal ?? code}); stopping.`);
    stop(code || 1);
  });
}

if (separateWorker) run(STANDALONE_WORKER, { WORKERS_ENABLED: "true" });
run(STANDALONE_SERVER, separateWorker ? { WORKERS_ENABLED: "false" } : {});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => stop(0));
