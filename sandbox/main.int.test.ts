/**
 * `npm run sandbox` (sandbox/main.ts) as a process: SANDBOX_VARIANTS turns variants on from the
 * start, a wrong name stops it before it listens, and the control client switches them at run time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../tests/support/free-port";
import { sandboxControl } from "../tests/support/sandbox-control";
import { tempDataDir } from "./marketplace/test-harness";
import { VARIANTS } from "./marketplace/variants";

const started: ChildProcess[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
});

function runSandbox(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", "sandbox/main.ts"], {
    env: { ...process.env, PORTAL_URL: "http://localhost:3999", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => text, exit };
}

async function untilReady(output: () => string, exit: Promise<number | null>): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited = false;
  void exit.then(() => {
    exited = true;
  });
  while (!output().includes("[sandbox] ready on")) {
    if (exited) throw new Error(`the sandbox exited:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`the sandbox did not start:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("SANDBOX_VARIANTS", () => {
  it("turns the named variants on at start, and the control client changes them at run time", async () => {
    const port = await freePort();
    const dataDir = tempDataDir();
    const { output, exit } = runSandbox({
      SANDBOX_PORT: String(port),
      SANDBOX_DATA_DIR: dataDir,
      SANDBOX_VARIANTS: " bare-arrays, text-bodies ",
    });
    await untilReady(output, exit);
    expect(output()).toContain(
      "[sandbox] variants on (not Microsoft's documented behaviour): text-bodies, bare-arrays",
    );

    const control = sandboxControl(`https://localhost:${port}`, { caPath: path.join(dataDir, "tls", "ca.pem") });
    expect((await control.getVariants()).enabled).toEqual(["text-bodies", "bare-arrays"]);
    expect((await control.variants(["lost-answer"])).enabled).toEqual(["lost-answer"]);
    expect((await control.variants("all")).enabled).toEqual(VARIANTS.map((variant) => variant.name));
    expect((await control.variants([])).enabled).toEqual([]);
    const unknownName = "nope" as "lost-answer"; // a name the type forbids, to reach the server's check
    await expect(control.variants([unknownName])).rejects.toThrow(/400.*Unknown sandbox variant \\"nope\\"/);
  });

  it("stops before listening when a name is unknown, naming it", async () => {
    const { output, exit } = runSandbox({
      SANDBOX_PORT: String(await freePort()),
      SANDBOX_DATA_DIR: tempDataDir(),
      SANDBOX_VARIANTS: "text-bodies,lost-answers",
    });
    expect(await exit).toBe(1);
    expect(output()).toContain(
      '[sandbox] SANDBOX_VARIANTS: Unknown sandbox variant "lost-answers"; known: text-bodies,',
    );
    expect(output()).not.toContain("ready on");
  });
});
