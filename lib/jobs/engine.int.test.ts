/**
 * The job engine across processes: two portal processes on one PostgreSQL database each take jobs,
 * every job runs exactly once, and a job enqueued by one instance starts on another within a
 * second (NOTIFY at commit), although their workers poll only every 30 s; a worker killed mid-job
 * (SIGKILL) leaves the job to another once it expires. On the embedded database
 * one process owns the data, so this runs on PostgreSQL only; the in-process cases run on both.
 */
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
import { startPortalProcess, type PortalProcess } from "@/tests/support/portal-process";

const processes: PortalProcess[] = [];
function startProcess(name: string, env: Record<string, string> = {}): Promise<PortalProcess> {
  return startPortalProcess({ name, script: "tests/support/job-process.ts", env, ready: "ready" }).then((started) => {
    processes.push(started);
    return started;
  });
}

const probes = () => db().$queryRaw<Array<{ n: number; process: string; attempt: number; lag_ms: number }>>`
  SELECT n, process, attempt, EXTRACT(EPOCH FROM (started_at - enqueued_at)) * 1000 AS lag_ms FROM engine_probe ORDER BY n, attempt`;

describe.skipIf(databaseKind() !== "postgresql")("two portal processes on one PostgreSQL database", () => {
  beforeAll(async () => {
    await db().$executeRawUnsafe(
      `CREATE TABLE IF NOT EXISTS engine_probe (n int NOT NULL, process text NOT NULL, attempt int NOT NULL, enqueued_at timestamptz NOT NULL, started_at timestamptz NOT NULL)`,
    );
    await db().$executeRawUnsafe(`TRUNCATE engine_probe`);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await db().$executeRawUnsafe(`DROP TABLE IF EXISTS engine_probe`);
  });

  it("both take jobs, each of 80 runs exactly once, and one enqueued on one instance starts on the other within a second", async () => {
    const [a, b] = await Promise.all([startProcess("a"), startProcess("b")]);
    await Promise.all([a.send("enqueue 0 40", "enqueued"), b.send("enqueue 40 40", "enqueued")]);
    const runs = await until(probes, (rows) => rows.length >= 80, "80 jobs run", 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for a second run, if there were one
    const all = await probes();
    expect(all.map((row) => row.n)).toEqual(Array.from({ length: 80 }, (_, n) => n));
    expect(new Set(runs.map((row) => row.process))).toEqual(new Set(["a", "b"]));

    // A web-only instance enqueues; the workers of the others start it at once (not at their 30 s poll).
    const web = await startProcess("web", { WORKERS: "false" });
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

  it("a worker killed mid-job (SIGKILL) leaves its job to another instance, which runs it once its expiry has passed", async () => {
    // Only "doomed" runs workers when the job is enqueued, so it takes the job; its first attempt never ends.
    await Promise.all(processes.map((p) => p.stop()));
    const doomed = await startProcess("doomed");
    await doomed.send("hang 2000", "enqueued");
    await until(probes, (rows) => rows.some((row) => row.n === 2000), "the hanging job started", 10_000);
    // The retry of an expired job is no new enqueue (no notification): it is found by polling, every
    // 2 s as JOB_POLL_INTERVAL_SECONDS has it by default (not the 30 s the other processes here use).
    const survivor = await startProcess("survivor", { POLL_INTERVAL_SECONDS: "2" });
    await doomed.kill();

    // The job expires 2 s after it started; the engine's upkeep (every second here) retries it, and
    // the surviving instance runs the retry.
    const runs = await until(
      probes,
      (rows) => rows.filter((row) => row.n === 2000).length === 2,
      "the job taken over",
      30_000,
    );
    expect(runs.filter((row) => row.n === 2000).map(({ process, attempt }) => ({ process, attempt }))).toEqual([
      { process: "doomed", attempt: 0 },
      { process: "survivor", attempt: 1 },
    ]);
    await until(
      () => db().$queryRaw<Array<{ state: string }>>`
        SELECT state::text AS state FROM pgboss.job WHERE name = 'test-engine-hanging' AND data ->> 'n' = '2000'`,
      (rows) => rows[0]?.state === "completed",
      "the retry completed",
      10_000,
    );
    await survivor.stop();
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
