/**
 * The upgrade from the hand-written queue: jobs still waiting in the old `Job` table move into
 * pg-boss once, with their start time; a job of a kind that no longer exists stays (nothing lost).
 */
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { followOperationJob } from "@/lib/operations/follow-operation";
import { jobsOf } from "@/tests/support/jobs";
import { drainLegacyJobs } from "./drain-legacy-jobs";
import { jobDefinitions } from "./registry";

afterAll(async () => {
  await disconnectDatabase();
});

describe("draining the old job queue", () => {
  it("moves waiting and running jobs into pg-boss exactly once, keeps unknown kinds and finished ones", async () => {
    const later = new Date(Date.now() + 3_600_000);
    const marker = `legacy-${Date.now()}`;
    await db().legacyJob.createMany({
      data: [
        { type: "follow-operation", payload: { operationId: `${marker}-a`, poll: 3 }, status: "pending", runAt: later },
        { type: "follow-operation", payload: { operationId: `${marker}-b`, poll: 1 }, status: "running", runAt: later },
        { type: "follow-operation", payload: { operationId: `${marker}-c`, poll: 1 }, status: "done", runAt: later },
        { type: "retired-job-kind", payload: { marker }, status: "pending", runAt: later },
        { type: "follow-operation", payload: { notAnOperation: true, marker }, status: "pending", runAt: later },
      ],
    });
    const moved = await drainLegacyJobs(jobDefinitions);
    expect(moved).toBe(2);
    const inPgBoss = (await jobsOf(followOperationJob)).filter((job) =>
      String(job.data.operationId).startsWith(marker),
    );
    expect(
      inPgBoss.map((job) => job.data).sort((x, y) => String(x.operationId).localeCompare(String(y.operationId))),
    ).toEqual([
      { operationId: `${marker}-a`, poll: 3 },
      { operationId: `${marker}-b`, poll: 1 },
    ]);
    expect(
      inPgBoss.every((job) => job.state === "created" && Math.abs(job.startAfter.getTime() - later.getTime()) < 1000),
    ).toBe(true);
    // What could not move is still there; what finished was never waiting.
    const left = await db().legacyJob.findMany({
      where: {
        OR: [{ type: "retired-job-kind" }, { payload: { path: ["marker"], equals: marker } }, { status: "done" }],
      },
    });
    expect(left.map((job) => job.type).sort()).toEqual(["follow-operation", "follow-operation", "retired-job-kind"]);
    // A second instance starting later moves nothing twice.
    expect(await drainLegacyJobs(jobDefinitions)).toBe(0);
    await db().legacyJob.deleteMany({ where: { id: { in: left.map((job) => job.id) } } });
  });
});
