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
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../tests/support/database";

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
const selected = process.env.TEST_STEPS?.split(",").map((step) => step.trim());
const results: Array<{ step: string; ok: boolean; seconds: number; tail: string[] }> = [];
const TAIL_LINES = 80;

/**
 * Runs one step, its output passed through as it comes. The last lines of a failed step (the
 * servers' log lines left out) are printed again above the summary: a CI log shown by its end
 * still says why a step failed when later steps printed after it.
 */
async function run(
  step: string,
  command: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  options: { buffered?: boolean } = {},
) {
  if (selected && !selected.includes(step)) return;
  const header = `\n=== ${step}: ${command} ${args.join(" ")}`;
  const buffered: Buffer[] = [];
  if (!options.buffered) console.log(header);
  const started = Date.now();
  const child = spawn(command, args, { stdio: ["inherit", "pipe", "pipe"], env: { ...env, ...extraEnv } });
  const tail: string[] = [];
  let partial = "";
  const keep = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      // eslint-disable-next-line no-control-regex
      const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
      if (plain.startsWith("[WebServer]") || plain.trim() === "") continue;
      tail.push(plain);
      if (tail.length > TAIL_LINES) tail.shift();
    }
  };
  const pass = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
    if (options.buffered) buffered.push(chunk);
    else to.write(chunk);
    keep(chunk);
  };
  child.stdout.on("data", pass(process.stdout));
  child.stderr.on("data", pass(process.stderr));
  const code = await new Promise<number | null>((resolve) => {
    child.on("close", (exitCode) => resolve(exitCode));
    child.on("error", () => resolve(null));
  });
  if (partial.trim()) tail.push(partial);
  results.push({ step, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000), tail });
  // A step run beside another prints its output as one block once done.
  return () => {
    if (!options.buffered) return;
    console.log(header);
    process.stdout.write(Buffer.concat(buffered));
  };
}

const bin = (name: string) => path.resolve("node_modules/.bin", name);

await run("validate", "npm", ["run", "validate"]);
await run("unit", bin("vitest"), ["run", "--project", "unit"]);
// The two databases' integration suites side by side (each its own sandbox and database): their
// tests mostly wait on the sandbox, jobs and timers, so together they take little more than one.
const printEmbedded = await Promise.all([
  run("integration-pg", bin("vitest"), ["run", "--project", "integration"], { TEST_DATABASE: "postgresql" }),
  run(
    "integration-embedded",
    bin("vitest"),
    ["run", "--project", "integration", "lib/"],
    { TEST_DATABASE: "embedded" },
    { buffered: true },
  ),
]);
for (const print of printEmbedded) print?.();
await run("build", "npm", ["run", "build"]);

// Each e2e run starts from an empty marketplace: no subscriptions left over from earlier runs.
const freshSandbox = () =>
  rmSync(path.resolve(process.env.E2E_SANDBOX_DATA_DIR ?? ".data/e2e-sandbox", "marketplace-state.json"), {
    force: true,
  });

if (!selected || selected.includes("e2e-pg")) {
  freshSandbox();
  const database = await createTestDatabase("postgresql", "e2e");
  try {
    await run("e2e-pg", bin("playwright"), ["test"], { E2E_DATABASE_URL: database.env.DATABASE_URL ?? "" });
  } finally {
    await database.drop();
  }
}
if (!selected || selected.includes("e2e-embedded")) {
  freshSandbox();
  const dir = path.resolve(".data/e2e-pglite");
  rmSync(dir, { recursive: true, force: true });
  await run("e2e-embedded", bin("playwright"), ["test", "--grep", "a buyer buys in the sandbox"], {
    E2E_EMBEDDED_DIR: dir,
  });
}

for (const result of results.filter((each) => !each.ok)) {
  console.log(`\n=== ${result.step} failed; its last lines again:`);
  console.log(result.tail.join("\n"));
}
console.log("\n=== summary");
for (const result of results) console.log(`${result.ok ? "PASS" : "FAIL"}  ${result.step} (${result.seconds}s)`);
const failed = results.filter((result) => !result.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
