/**
 * A portal process for the job-engine tests: the real engine on DATABASE_URL with one probe job
 * that records which process ran which job. Reads commands on stdin, one per line:
 *   enqueue <from> <count>   enqueue jobs numbered from..from+count-1 (each in its own transaction)
 *   stop                     stop and exit
 * Prints "ready" once started. WORKERS=false makes it a producer only (a web-only instance).
 */
import { createInterface } from "node:readline";
import { z } from "zod";
import { db, disconnectDatabase } from "../../lib/db";
import { defineJob } from "../../lib/jobs/define-job";
import { enqueue } from "../../lib/jobs/enqueue";
import { startJobEngine, startJobWorkers } from "../../lib/jobs/engine";

const name = process.env.PROCESS_NAME ?? `p${process.pid}`;

export const probeJob = defineJob({
  name: "test-engine-probe",
  payload: z.object({ n: z.number().int(), enqueuedAt: z.number() }),
  key: (payload) => String(payload.n),
  retry: { limit: 0, delaySeconds: 1, backoff: false },
  expireInSeconds: 30,
  concurrency: 2,
  run: async (payload) => {
    await db()
      .$executeRaw`INSERT INTO engine_probe (n, process, enqueued_at, started_at) VALUES (${payload.n}, ${name}, ${new Date(payload.enqueuedAt)}, now())`;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 15));
  },
});

async function main() {
  await startJobEngine([probeJob]);
  // Polling is deliberately slow: a job from another process must start through its notification.
  if (process.env.WORKERS !== "false") await startJobWorkers([probeJob], { pollingIntervalSeconds: 30 });
  console.log("ready");
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, from, count] = line.trim().split(/\s+/);
    if (command === "enqueue") {
      for (let n = Number(from); n < Number(from) + Number(count); n += 1) {
        await db().$transaction((tx) => enqueue(tx, probeJob, { n, enqueuedAt: Date.now() }));
      }
      console.log("enqueued");
    } else if (command === "stop") {
      break;
    }
  }
  await disconnectDatabase();
  process.exit(0);
}

void main();
