/**
 * A portal process for the job-engine tests: the real engine on DATABASE_URL with two probe jobs
 * that record which process ran which job (and which attempt). Reads commands on stdin, one per line:
 *   enqueue <from> <count>   enqueue probe jobs numbered from..from+count-1 (each in its own transaction)
 *   hang <n>                 enqueue a job whose first attempt never ends (its process is to be killed)
 *   stop                     stop and exit (as SIGTERM does)
 * Prints "ready" once started. WORKERS=false makes it a producer only (a web-only instance);
 * POLL_INTERVAL_SECONDS sets its workers' polling (30 s unless given).
 */
import { createInterface } from "node:readline";
import { z } from "zod";
import { db, disconnectDatabase } from "../../lib/db";
import { defineJob } from "../../lib/jobs/define-job";
import { enqueue } from "../../lib/jobs/enqueue";
import { startJobEngine, startJobWorkers } from "../../lib/jobs/engine";

const name = process.env.PROCESS_NAME ?? `p${process.pid}`;

const record = (n: number, enqueuedAt: number, attempt: number) =>
  db()
    .$executeRaw`INSERT INTO engine_probe (n, process, attempt, enqueued_at, started_at) VALUES (${n}, ${name}, ${attempt}, ${new Date(enqueuedAt)}, now())`;

export const probeJob = defineJob({
  name: "test-engine-probe",
  payload: z.object({ n: z.number().int(), enqueuedAt: z.number() }),
  key: (payload) => String(payload.n),
  retry: { limit: 0, delaySeconds: 1, backoff: false },
  expireInSeconds: 30,
  concurrency: 2,
  run: async (payload, job) => {
    await record(payload.n, payload.enqueuedAt, job.retryCount);
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 15));
  },
});

/** Its first attempt records itself and then never ends; a retry completes at once. Expires after 2 s. */
export const hangingJob = defineJob({
  name: "test-engine-hanging",
  payload: z.object({ n: z.number().int(), enqueuedAt: z.number() }),
  key: (payload) => String(payload.n),
  retry: { limit: 1, delaySeconds: 1, backoff: false },
  expireInSeconds: 2,
  run: async (payload, job) => {
    await record(payload.n, payload.enqueuedAt, job.retryCount);
    if (job.retryCount === 0) await new Promise(() => undefined);
  },
});

const jobs = [probeJob, hangingJob];

async function stop(): Promise<never> {
  await disconnectDatabase();
  process.exit(0);
}

async function main() {
  await startJobEngine(jobs);
  // Polling is deliberately slow by default: a job from another process must start through its notification.
  const pollingIntervalSeconds = Number(process.env.POLL_INTERVAL_SECONDS ?? 30);
  if (process.env.WORKERS !== "false") await startJobWorkers(jobs, { pollingIntervalSeconds });
  process.once("SIGTERM", () => void stop());
  console.log("ready");
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, from, count] = line.trim().split(/\s+/);
    if (command === "enqueue") {
      for (let n = Number(from); n < Number(from) + Number(count); n += 1) {
        await db().$transaction((tx) => enqueue(tx, probeJob, { n, enqueuedAt: Date.now() }));
      }
      console.log("enqueued");
    } else if (command === "hang") {
      await db().$transaction((tx) => enqueue(tx, hangingJob, { n: Number(from), enqueuedAt: Date.now() }));
      console.log("enqueued");
    } else if (command === "stop") {
      break;
    }
  }
  await stop();
}

void main();
