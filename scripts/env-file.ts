/** Minimal KEY=VALUE reader for .env / .env.example (scripts only; the portal reads process.env via lib/env.ts). */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const entries: Record<string, string> = {};
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!match?.[1]) continue;
    entries[match[1]] = (match[2] ?? "").replace(/^(['"])(.*)\1$/, "$2");
  }
  return entries;
}

/** .env when present, else .env.example; real environment variables win over both. */
export function localEnvironment(): Record<string, string> {
  const file = existsSync(".env") ? ".env" : ".env.example";
  const defined = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return { ...readEnvFile(file), ...defined };
}

/**
 * Against the local sandbox, Node must trust its CA, which it reads only at process start: runs this
 * script again with NODE_EXTRA_CA_CERTS set, and exits with its status (otherwise returns). A CA
 * already given (another sandbox's, in tests) is left as it is.
 */
export function relaunchTrustingSandboxCa(env: Record<string, string>): void {
  const sandboxCa = path.resolve(env.SANDBOX_DATA_DIR ?? ".data/sandbox", "tls", "ca.pem");
  const usesSandbox =
    env.ENTRA_AUTHORITY_HOST !== undefined && !env.ENTRA_AUTHORITY_HOST.includes("login.microsoftonline.com");
  if (!usesSandbox || !existsSync(sandboxCa) || process.env.NODE_EXTRA_CA_CERTS) return;
  const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: sandboxCa },
  });
  process.exit(child.status ?? 1);
}
