/**
 * npm test: every test, as CI runs them.
 *   1. `npm run validate`: lint (no warnings), the formatter's check and the type-check
 *   2. unit tests (vitest)
 *   3. integration tests against the sandbox over HTTP, on PostgreSQL and on the embedded database
 *   4. the production build (`npm run build`: `next build`, which also type-checks, and the standalone artefact)
 *   5. end-to-end tests in Chromium through the real sign-in, on PostgreSQL and on the embedded database
 * Prints one closing line "N passed, N failed" over the steps.
 *
 * PostgreSQL: TEST_DATABASE_SERVER_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
 * Skip steps with TEST_STEPS=validate,unit,integration-pg,... (default: all).
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../tests/support/database";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const selected = process.env.TEST_STEPS?.split(",").map((step) => step.trim());
const results: Array<{ step: string; ok: boolean; seconds: number }> = [];

function run(step: string, command: string, args: string[], extraEnv: Record<string, string> = {}) {
  if (selected && !selected.includes(step)) return;
  console.log(`\n=== ${step}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  results.push({ step, ok: result.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}

const bin = (name: string) => path.resolve("node_modules/.bin", name);

run("validate", "npm", ["run", "validate"]);
run("unit", bin("vitest"), ["run", "--project", "unit"]);
run("integration-pg", bin("vitest"), ["run", "--project", "integration"], { TEST_DATABASE: "postgresql" });
run("integration-embedded", bin("vitest"), ["run", "--project", "integration", "lib/"], { TEST_DATABASE: "embedded" });
run("build", "npm", ["run", "build"]);

// Each e2e run starts from an empty marketplace: no subscriptions left over from earlier runs.
const freshSandbox = () =>
  rmSync(path.resolve(process.env.E2E_SANDBOX_DATA_DIR ?? ".data/e2e-sandbox", "marketplace-state.json"), {
    force: true,
  });

if (!selected || selected.includes("e2e-pg")) {
  freshSandbox();
  const database = await createTestDatabase("postgresql", "e2e");
  try {
    run("e2e-pg", bin("playwright"), ["test"], { E2E_DATABASE_URL: database.env.DATABASE_URL ?? "" });
  } finally {
    await database.drop();
  }
}
if (!selected || selected.includes("e2e-embedded")) {
  freshSandbox();
  const dir = path.resolve(".data/e2e-pglite");
  rmSync(dir, { recursive: true, force: true });
  run("e2e-embedded", bin("playwright"), ["test", "--grep", "a buyer buys in the sandbox"], { E2E_EMBEDDED_DIR: dir });
}

console.log("\n=== summary");
for (const result of results) console.log(`${result.ok ? "PASS" : "FAIL"}  ${result.step} (${result.seconds}s)`);
const failed = results.filter((result) => !result.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
