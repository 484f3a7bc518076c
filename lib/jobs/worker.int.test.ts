/**
 * Two workers on one database — as two portal instances, each with its own connection pool on
 * PostgreSQL (on the embedded database, which one process owns, two workers on its one client):
 * every job runs exactly once, and a job whose worker died is taken over once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createDatabaseAdapter } from "@/lib/db/adapter";
import { databaseKind, db, disconnectDatabase } from "@/lib/db";
import { until } from "@/tests/support/until";
import { jobRow } from "./enqueue-job";
import { jobHandlers } from "./handlers";
import { startWorker, type JobHandler } from "./worker";

const TEST_JOB = "test-two-workers";
const second = databaseKind() === "postgresql" ? createDatabaseAdapter() : undefined;
const otherInstance = second ? new PrismaClient({ adapter: second.factory }) : db();

afterAll(async () => {
  if (second) {
    await otherInstance.$disconnect();
    await second.close();
  }
  await disconnectDatabase();
});

describe("two workers sharing one database", () => {
  it("run each of 60 jobs exactly once between them", async () => {
    const runs: Array<{ n: number; worker: string }> = [];
    const handler =
      (worker: string): JobHandler =>
      async (job) => {
        runs.push({ n: (job.payload as { n: number }).n, worker });
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      };
    const batch = `batch-${Date.now()}`;
    await db().job.createMany({
      data: Array.from({ length: 60 }, (_, n) => jobRow({ type: TEST_JOB, payload: { n, batch } })),
    });
    const workers = [
      startWorker({
        prisma: db(),
        handlers: { ...jobHandlers, [TEST_JOB]: handler("a") },
        pollIntervalMs: 50,
        concurrency: 4,
      }),
      startWorker({
        prisma: otherInstance,
        handlers: { ...jobHandlers, [TEST_JOB]: handler("b") },
        pollIntervalMs: 50,
        concurrency: 4,
      }),
    ];
    try {
      await until(
        () =>
          db().job.count({ where: { type: TEST_JOB, payload: { path: ["batch"], equals: batch }, status: "done" } }),
        (done) => done === 60,
        "all 60 done",
        30_000,
      );
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    expect(runs.map((run) => run.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    expect(new Set(runs.map((run) => run.worker))).toEqual(new Set(["a", "b"]));
  });

  it("take over a job whose worker died (its lock expired) exactly once", async () => {
    const runs: string[] = [];
    const handler =
      (worker: string): JobHandler =>
      async () => {
        runs.push(worker);
      };
    const batch = `orphan-${Date.now()}`;
    await db().job.create({
      data: {
        ...jobRow({ type: TEST_JOB, payload: { n: 0, batch } }),
        status: "running",
        attempts: 1,
        lockedBy: "dead-host:1:gone",
        lockedUntil: new Date(Date.now() - 1000),
      },
    });
    const workers = [
      startWorker({ prisma: db(), handlers: { ...jobHandlers, [TEST_JOB]: handler("a") }, pollIntervalMs: 50 }),
      startWorker({
        prisma: otherInstance,
        handlers: { ...jobHandlers, [TEST_JOB]: handler("b") },
        pollIntervalMs: 50,
      }),
    ];
    try {
      const [job] = await until(
        () => db().job.findMany({ where: { type: TEST_JOB, payload: { path: ["batch"], equals: batch } } }),
        (rows) => rows[0]?.status === "done",
        "orphan done",
      );
      expect(job?.attempts).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 300)); // give a second taker every chance
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    expect(runs).toHaveLength(1);
  });
});
