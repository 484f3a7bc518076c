/**
 * The artefact's `node server.js` (scripts/standalone/server.js, docs/decisions/0023) in front of a
 * stand-in Next.js: the webhook fast path, loaded from instrumentation.js once Next.js is prepared,
 * is asked first; what it leaves goes to Next.js's request handler; SIGTERM stops the server. The
 * fast path's own choices (method, path, answers) are tested in lib/webhooks; this is the wiring
 * that no other test would notice breaking (the webhook would still be answered, by Next.js, slower).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@/tests/support/free-port";
import { makeTempDir } from "@/tests/support/temp-dirs";

/** An artefact directory with our server.js, a stand-in `next` and a stand-in instrumentation.js. */
function fakeArtefact(): string {
  const dir = makeTempDir("server-js-");
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  copyFileSync(path.resolve("scripts/standalone/server.js"), path.join(dir, "server.js"));
  write("package.json", JSON.stringify({ type: "module" }));
  write(".next/package.json", JSON.stringify({ type: "commonjs" }));
  write(".next/required-server-files.json", JSON.stringify({ config: { poweredByHeader: false } }));
  write("node_modules/next/package.json", JSON.stringify({ name: "next", version: "0.0.0-test", main: "index.js" }));
  write(
    "node_modules/next/index.js",
    `module.exports = (options) => ({
      prepare: async () => { globalThis.preparedWith = options; },
      getRequestHandler: () => async (req, res) => {
        res.writeHead(200, { "x-answered-by": "next", "content-type": "application/json" });
        res.end(JSON.stringify({ method: req.method, url: req.url, config: JSON.parse(process.env.__NEXT_PRIVATE_STANDALONE_CONFIG) }));
      },
      close: async () => { console.log("next closed"); },
    });`,
  );
  write(
    ".next/server/instrumentation.js",
    `exports.webhookFastPath = async () => {
      if (!globalThis.preparedWith) throw new Error("instrumentation read before Next.js was prepared");
      return (req, res) => {
        if (req.method !== "POST" || req.url !== "/api/marketplace/webhook") return false;
        res.writeHead(401, { "x-answered-by": "fast-path" }).end("{}");
        return true;
      };
    };`,
  );
  return dir;
}

let server: ChildProcess | undefined;
afterEach(() => {
  server?.kill("SIGKILL");
  server = undefined;
});

async function start(dir: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ["server.js"], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOSTNAME: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server = child;
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server.js did not start: ${output}`)), 10_000);
    child.stdout.on("data", () => {
      if (!output.includes("Ready on")) return;
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server.js exited ${code}: ${output}`));
    });
  });
  return { base: `http://127.0.0.1:${port}`, child, output: () => output };
}

describe("the artefact's server.js", () => {
  it("answers Microsoft's webhook POST on the fast path and hands everything else to Next.js", async () => {
    const { base, output } = await start(fakeArtefact());
    expect(output()).toContain(`Ready on http://127.0.0.1:${base.split(":").pop()} (Next.js 0.0.0-test)`);

    const webhook = await fetch(`${base}/api/marketplace/webhook`, { method: "POST", body: "{}" });
    expect(webhook.status).toBe(401);
    expect(webhook.headers.get("x-answered-by")).toBe("fast-path");

    for (const [method, url] of [
      ["GET", "/api/marketplace/webhook"],
      ["POST", "/api/marketplace/webhook?x=1"],
      ["POST", "/account"],
      ["GET", "/"],
    ] as const) {
      const answer = await fetch(`${base}${url}`, { method, ...(method === "POST" ? { body: "x" } : {}) });
      expect(answer.headers.get("x-answered-by"), `${method} ${url}`).toBe("next");
      const seen = (await answer.json()) as { method: string; url: string; config: { distDir: string } };
      expect(seen).toMatchObject({ method, url, config: { distDir: "./.next", poweredByHeader: false } });
    }
  });

  it("stops on SIGTERM once the requests in flight are done, closing Next.js", async () => {
    const { child, output } = await start(fakeArtefact());
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(output()).toContain("next closed");
  });
});
