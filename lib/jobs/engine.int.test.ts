/**
 * The job engine across processes: two portal processes on one PostgreSQL database each take jobs,
 * every job runs exactly once, and a job enqueued by one instance starts on another within a
 * second (NOTIFY at commit), although their workers poll only every 30 s. On the embedded database
 * one process owns the data, so this runs on PostgreSQL only; the in-process cases run on both.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKind, db } from "@/lib/db";
import { enqueue } from "@/lib/jobs/enqueue";
import { ensureQueue, jobEngine } from "@/lib/jobs/engine";
import { defineJob } from "@/lib/jobs/define-job";
import PgBoss from "pg-boss";
import { z } from "zod";
import { findJob } from "@/lib/jobs/job-store";
import { followOperationJob } from "@/lib/operations/follow-operation";
import { until } from "@/tests/support/until";
import { leaveJobAsIfItsWorkerDied, startJobs } from "@/tests/support/jobs";

interface PortalProcess {
  child: ChildProcessWithoutNullStreams;
  send(line: string, answer?: string): Promise<void>;
}

function startProcess(name: string, env: Record<string, string> = {}): Promise<PortalProcess> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.resolve("tests/support/job-process.ts")],
    {
      env: { ...process.env, PROCESS_NAME: name, LOG_LEVEL: "error", ...env },
    },
  );
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<{ text: string; resolve: () => void }> = [];
  lines.on("line", (line) => {
    const index = waiting.findIndex((entry) => entry.text === line.trim());
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve();
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // A process that dies says why, instead of leaving the test waiting for its answer.
  const died = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`process ${name} exited (${code}): ${stderr.slice(-2000)}`))),
  );
  died.catch(() => undefined);
  const expect = (text: string) =>
    Promise.race([
      new Promise<void>((resolve) => waiting.push({ text, resolve })),
      died,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`process ${name} did not answer "${text}" in 20 s: ${stderr.slice(-2000)}`)),
          20_000,
        ).unref(),
      ),
    ]);
  return expect("ready").then(() => ({
    child,
    async send(line, answer) {
      const answered = answer ? expect(answer) : Promise.resolve();
      child.stdin.write(`${line}\n`);
      await answered;
    },
  }));
}

const probes = () => db().$queryRaw<Array<{ n: number; process: string; lag_ms: number }>>`
  SELECT n, process, EXTRACT(EPOCH FROM (started_at - enqueued_at)) * 1000 AS lag_ms FROM engine_probe ORDER BY n`;

describe.skipIf(databaseKind() !== "postgresql")("two portal processes on one PostgreSQL database", () => {
  const processes: PortalProcess[] = [];
  beforeAll(async () => {
    await db().$executeRawUnsafe(
      `CREATE TABLE IF NOT EXISTS engine_probe (n int NOT NULL, process text NOT NULL, enqueued_at timestamptz NOT NULL, started_at timestamptz NOT NULL)`,
    );
    await db().$executeRawUnsafe(`TRUNCATE engine_probe`);
  });
  afterAll(async () => {
    await Promise.all(
      processes.map((p) => {
        if (p.child.exitCode !== null) return Promise.resolve();
        const exited = new Promise((resolve) => p.child.once("exit", resolve));
        p.child.stdin.write("stop\n");
        return exited;
      }),
    );
    await db().$executeRawUnsafe(`DROP TABLE IF EXISTS engine_probe`);
  });

  it("both take jobs, each of 80 runs exactly once, and one enqueued on one instance starts on the other within a second", async () => {
    const [a, b] = await Promise.all([startProcess("a"), startProcess("b")]);
    processes.push(a, b);
    await Promise.all([a.send("enqueue 0 40", "enqueued"), b.send("enqueue 40 40", "enqueued")]);
    const runs = await until(probes, (rows) => rows.length >= 80, "80 jobs run", 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a second run, if there were one
    const all = await probes();
    expect(all.map((row) => row.n)).toEqual(Array.from({ length: 80 }, (_, n) => n));
    expect(new Set(runs.map((row) => row.process))).toEqual(new Set(["a", "b"]));

    // A web-only instance enqueues; the workers of the others start it at once (not at their 30 s poll).
    const web = await startProcess("web", { WORKERS: "false" });
    processes.push(web);
    await web.send("enqueue 1000 5", "enqueued");
    const late = await until(
      probes,
      (rows) => rows.filter((row) => row.n >= 1000).length === 5,
      "5 jobs from the web instance",
      10_000,
    );
    for (const row of late.filter((entry) => entry.n >= 1000)) {
      expect(row.process).not.toBe("web");
      expect(Number(row.lag_ms)).toBeLessThan(1000);
    }
  }, 60_000);
});

describe.skipIf(databaseKind() !== "postgresql")("instances starting at the same moment", () => {
  it("each creates the same fresh queues at once, and every one starts (no deadlock, no duplicate-name failure)", async () => {
    // A schema of its own, so every queue is new: the moment two instances boot on a fresh database.
    const schema = `pgboss_race_${process.pid}_${Date.now()}`;
    const instances = Array.from(
      { length: 4 },
      () =>
        new PgBoss({
          connectionString: process.env.DATABASE_URL!,
          schema,
          supervise: false,
          schedule: false,
          max: 2,
        }),
    );
    const definitions = Array.from({ length: 6 }, (_, n) =>
      defineJob({
        name: `race-${n}`,
        payload: z.object({}),
        key: () => "one",
        retry: { limit: 1, delaySeconds: 1, backoff: false },
        expireInSeconds: 60,
        run: async () => undefined,
      }),
    );
    try {
      await instances[0]!.start(); // the schema itself, once
      await Promise.all(instances.slice(1).map((boss) => boss.start()));
      const results = await Promise.allSettled(
        instances.map(async (boss) => {
          for (const definition of definitions) await ensureQueue(boss, definition);
        }),
      );
      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      const queues = await instances[0]!.getQueues();
      expect(queues.map((queue) => queue.name).sort()).toEqual(definitions.map((definition) => definition.name));
    } finally {
      await Promise.all(instances.map((boss) => boss.stop({ graceful: false, wait: true }).catch(() => undefined)));
      await db().$executeRawUnsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  }, 60_000);
});

describe("in one process", () => {
  it("a job whose payload does not fit its definition fails at once, with the reason, in the failed list", async () => {
    // Written around the typed enqueue (an old job, a hand-made row): the worker parses it again.
    const boss = await jobEngine();
    const jobId = (await boss.send(followOperationJob.name, { operationId: 42 }, { singletonKey: "bad-payload" }))!;
    const workers = await startJobs();
    try {
      const job = await until(
        () => findJob(jobId),
        (row) => row?.state === "failed",
        "failed for good",
        20_000,
      );
      expect(job?.attempts).toBe(1);
      expect(job?.error).toContain("Payload does not match the job definition: operationId:");
    } finally {
      await workers.stop();
    }
  });

  it("a job whose worker died (its run expired) is taken over and runs once more", async () => {
    // A poll for an operation that is not ours: the job does nothing and completes.
    const jobId = (await enqueue(
      db(),
      followOperationJob,
      { operationId: "not-an-operation", poll: 1 },
      { startAfter: new Date(Date.now() + 3_600_000) },
    ))!;
    await leaveJobAsIfItsWorkerDied(jobId);
    const workers = await startJobs();
    try {
      const job = await until(
        () => findJob(jobId),
        (row) => row?.state === "completed",
        "taken over and completed",
        20_000,
      );
      expect(job?.attempts).toBe(2);
    } finally {
      await workers.stop();
    }
  }, 30_000);
});
