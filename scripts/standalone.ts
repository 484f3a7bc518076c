/**
 * The production artefact, as the scripts that start it see it: `next build` with
 * `output: "standalone"` writes .next/standalone (server.js and the traced node_modules);
 * completeStandalone() adds what Next.js leaves to the deployer — the client assets
 * (.next/static), public/ — and worker.js, and puts our server.js in place of Next.js's. Idempotent and quick, so every script that starts the
 * artefact runs it first (also after a bare `next build`).
 *
 * server.js and worker.js change into the artefact's directory: a relative path in the
 * configuration is relative to it. Scripts that start the artefact from the repository make the
 * repository's relative paths absolute first (withRepositoryPaths).
 */
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_CATALOG_FILE, DEFAULT_EMBEDDED_DATABASE_DIR, DEFAULT_HANDOFF_KEY_FILE } from "../lib/env";

export const STANDALONE_DIR = path.resolve(".next/standalone");
export const STANDALONE_SERVER = path.join(STANDALONE_DIR, "server.js");
export const STANDALONE_WORKER = path.join(STANDALONE_DIR, "worker.js");
/** The server.js Next.js writes, kept beside ours as server.next.js (Next.js alone, without the fast path) (scripts/standalone/server.js). */
const NEXT_SERVER = path.join(STANDALONE_DIR, "server.next.js");

/**
 * Copies .next/static, public/, worker.js and our server.js (the webhook fast path in front of
 * Next.js, docs/decisions/0023) into the artefact; throws when there is no build.
 */
export function completeStandalone(): void {
  if (!existsSync(STANDALONE_SERVER))
    throw new Error("No standalone build in .next/standalone: run `npm run build` first.");
  const buildId = readFileSync(".next/BUILD_ID", "utf8");
  const stamp = path.join(STANDALONE_DIR, ".next", "COMPLETED_BUILD_ID");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === buildId) return;
  const staticDir = path.join(STANDALONE_DIR, ".next", "static");
  rmSync(staticDir, { recursive: true, force: true });
  cpSync(".next/static", staticDir, { recursive: true });
  if (existsSync("public")) cpSync("public", path.join(STANDALONE_DIR, "public"), { recursive: true });
  cpSync("scripts/standalone/worker.js", STANDALONE_WORKER);
  if (!existsSync(NEXT_SERVER)) renameSync(STANDALONE_SERVER, NEXT_SERVER);
  cpSync("scripts/standalone/server.js", STANDALONE_SERVER);
  writeFileSync(stamp, buildId);
}

/**
 * The environment with the settings that name files made absolute against the repository (the
 * current directory), defaults included: the artefact started from a checkout uses the checkout's
 * embedded database, hand-off key and catalog, as `next start` did, not copies inside .next that
 * the next build replaces.
 */
export function withRepositoryPaths(env: Record<string, string | undefined>): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== "") resolved[key] = value;
  const defaults = {
    EMBEDDED_DATABASE_DIR: DEFAULT_EMBEDDED_DATABASE_DIR,
    HANDOFF_KEY_FILE: DEFAULT_HANDOFF_KEY_FILE,
    // Only when present: without CATALOG_FILE a missing default file means an empty catalog.
    CATALOG_FILE: existsSync(DEFAULT_CATALOG_FILE) ? DEFAULT_CATALOG_FILE : undefined,
  };
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = resolved[key] ?? fallback;
    if (value) resolved[key] = path.resolve(value);
  }
  return resolved;
}
