/**
 * Temporary directories for tests. Each is removed when the test file that made it ends, passed
 * or failed (tests/support/remove-temp-dirs.ts, a setup file of every vitest project), so no
 * data directory — sandbox data holds TLS private keys — is left in the system's temp folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const made: string[] = [];

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
