/**
 * Portal processes for tests of several instances on one database (lib/jobs/engine.int.test.ts,
 * tests/multi-instance.int.test.ts): a script run as its own Node process with the react-server
 * condition (as the portal's server code runs), the test's environment plus `env`, and its stdout
 * read line by line. A process that dies says why, instead of leaving the test waiting.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export interface PortalProcess {
  name: string;
  child: ChildProcessWithoutNullStreams;
  /** The line that said the process was ready (e.g. "listening 41234"). */
  readyLine: string;
  /** Writes a command line on stdin; with `answer`, waits for that line on stdout. */
  send(line: string, answer?: string | RegExp): Promise<string | undefined>;
  /** Waits for a line on stdout. */
  waitFor(line: string | RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM (the process shuts down as in production) and its exit; SIGKILL after 15 s. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies on the spot, mid-job if it was running one. */
  kill(): Promise<void>;
}

const matches = (pattern: string | RegExp, line: string) =>
  typeof pattern === "string" ? line.trim() === pattern : pattern.test(line);

export function startPortalProcess(options: {
  name: string;
  /** Path from the repository root, e.g. "tests/support/job-process.ts". */
  script: string;
  env?: Record<string, string>;
  /** The stdout line that means ready. */
  ready: string | RegExp;
  readyTimeoutMs?: number;
}): Promise<PortalProcess> {
  const { name } = options;
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.resolve(options.script)],
    { env: { ...process.env, PROCESS_NAME: name, LOG_LEVEL: "error", ...options.env } },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const waiting: Array<{ pattern: string | RegExp; resolve: (line: string) => void }> = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    const index = waiting.findIndex((entry) => matches(entry.pattern, line));
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(line);
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const died = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) =>
      reject(new Error(`process ${name} exited (${signal ?? code}): ${stderr.slice(-2000)}`)),
    ),
  );
  died.catch(() => undefined);

  const waitFor = (pattern: string | RegExp, timeoutMs = 20_000) =>
    Promise.race([
      new Promise<string>((resolve) => waiting.push({ pattern, resolve })),
      died,
      new Promise<never>((_, reject) =>
        setTimeout(
          () =>
            reject(
              new Error(`process ${name} did not print ${String(pattern)} in ${timeoutMs} ms: ${stderr.slice(-2000)}`),
            ),
          timeoutMs,
        ).unref(),
      ),
    ]);

  const signal = async (kind: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(kind);
    const forced = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(forced);
  };

  return waitFor(options.ready, options.readyTimeoutMs ?? 60_000).then((readyLine) => ({
    name,
    child,
    readyLine,
    async send(line, answer) {
      const answered = answer ? waitFor(answer) : Promise.resolve(undefined);
      child.stdin.write(`${line}\n`);
      return answered;
    },
    waitFor,
    stop: () => signal("SIGTERM"),
    kill: () => signal("SIGKILL"),
  }));
}
