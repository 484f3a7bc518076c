/**
 * Runs a TypeScript script in a child Node process that trusts the sandbox CA through
 * NODE_EXTRA_CA_CERTS, the way the portal's processes do, and parses its JSON stdout.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(here, "../../..");

export function runChildScript<T>(
  script: string,
  caPath: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(here, script)],
      {
        cwd: projectRoot,
        timeout: timeoutMs,
        env: { ...process.env, ...env, NODE_EXTRA_CA_CERTS: caPath, NODE_NO_WARNINGS: "1" },
      },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${script} failed: ${error.message}\n${stderr}`));
          return;
        }
        try {
          resolve(JSON.parse(stdout) as T);
        } catch {
          reject(new Error(`${script} printed no JSON:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
