/**
 * Metered billing against the running portal and sandbox (called from bench/run.ts):
 *
 *   ingest, one record per request     POST /api/usage latency (8 in flight) and records/s
 *   ingest, 500 records per request    POST /api/usage latency (2 in flight) and records/s
 *   aggregate + submit 10k hours       500 subscriptions × 20 closed hours: from queuing a run to every
 *                                      hour accepted by the sandbox's Metering API (the portal's own worker)
 *
 * Black-box: subscriptions are bought and activated in the sandbox (a client-credentials token from
 * its identity provider), mirrored into the portal's database, the key and the 10k hours' records are
 * written with SQL, and the run is queued as a job row — the portal does the rest as in production.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { seeded } from "../tests/support/sandbox-env";
import type { BenchRow } from "./stats";
import { activeSubscriptions, load, type SandboxBenchOptions } from "./support";

const SUBSCRIPTIONS = Number(process.env.BENCH_METERING_SUBSCRIPTIONS ?? 500);
const HOURS = 20;
const HOUR = 3_600_000;
async function createKey(client: pg.Client): Promise<{ key: string; id: string }> {
  const key = `usk_${randomBytes(6).toString("hex")}_${randomBytes(32).toString("base64url")}`;
  const id = randomUUID();
  await client.query(
    `INSERT INTO "ApiKey" (id, name, prefix, "secretHash", scopes, "offerIds", "tenantIds", "createdByTid", "createdByOid") VALUES ($1, 'bench', $2, $3, ARRAY['usage:write'], '{}', '{}', $4, $5)`,
    [
      id,
      key.slice(0, 16),
      createHash("sha256").update(key).digest("hex"),
      seeded.publisherTenant,
      "a1000000-0000-4000-8000-000000000001",
    ],
  );
  return { key, id };
}

export async function benchMetering(options: SandboxBenchOptions): Promise<BenchRow[]> {
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const ids = await activeSubscriptions(options, client, SUBSCRIPTIONS, "Metering bench");
    const { key, id: apiKeyId } = await createKey(client);
    // Usage of the current hour: accepted, not sent during the benchmark.
    const now = () => new Date(Math.floor(Date.now() / HOUR) * HOUR).toISOString();
    const post = async (body: unknown, expected: number) => {
      const response = await fetch(`${options.portalUrl}/api/usage`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { accepted?: number };
      if (response.status !== 202 || answer.accepted !== expected)
        throw new Error(`ingest answered ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    };
    const record = (i: number) => ({
      subscriptionId: ids[i % ids.length],
      dimension: "reports",
      quantity: 1 + (i % 7),
      effectiveAt: now(),
      idempotencyKey: `bench-${randomUUID()}`,
    });

    await load(50, 4, (i) => post(record(i), 1)); // warm-up
    const singles = Math.max(500, options.iterations * 50);
    const single = await load(singles, 8, (i) => post(record(i), 1));
    const batches = 20;
    const batch = await load(batches, 2, async () =>
      post({ records: Array.from({ length: 500 }, (_, i) => record(i)) }, 500),
    );

    // 10k subscription-hours: one record each, in the 20 closed hours before the last one.
    const base = Math.floor(Date.now() / HOUR) * HOUR;
    await client.query(
      `
      INSERT INTO "UsageRecord" ("apiKeyId", "idempotencyKey", "requestHash", "subscriptionId", dimension, quantity, "effectiveAt", "hourStart", "planId")
      SELECT $1, 'bench-hours-' || s.i || '-' || h, 'bench', s.id, 'reports', 1 + (s.i + h) % 9,
        to_timestamp(($2::bigint - h * 3600000 + 600000) / 1000.0), to_timestamp(($2::bigint - h * 3600000) / 1000.0), 'basic'
      FROM unnest($3::text[]) WITH ORDINALITY AS s(id, i), generate_series(2, $4::int + 1) AS h`,
      [apiKeyId, base, ids, HOURS],
    );
    const expected = ids.length * HOURS;
    const started = performance.now();
    // "Submit now", as the console does it: a submit-usage job in the portal's pg-boss queue, announced at once.
    await client.query(
      `INSERT INTO pgboss.job (name, data, singleton_key, policy) VALUES ('submit-usage', '{"trigger":"manual"}', 'metering:manual', 'stately') ON CONFLICT DO NOTHING`,
    );
    await client.query(`SELECT pg_notify('portal_jobs', 'submit-usage')`);
    let aggregatedMs = 0;
    for (;;) {
      const { rows } = await client.query<{ unlinked: string; accepted: string; other: string }>(
        `
        SELECT (SELECT count(*) FROM "UsageRecord" WHERE "idempotencyKey" LIKE 'bench-hours-%' AND "usageHourId" IS NULL) AS unlinked,
               count(*) FILTER (WHERE status = 'accepted') AS accepted, count(*) FILTER (WHERE status NOT IN ('accepted', 'pending', 'submitting')) AS other
        FROM "UsageHour" WHERE "subscriptionId" = ANY($1)`,
        [ids],
      );
      const row = rows[0];
      if (row && aggregatedMs === 0 && Number(row.unlinked) === 0) aggregatedMs = performance.now() - started;
      if (row && Number(row.other) > 0) throw new Error(`${row.other} hours were not accepted`);
      if (row && Number(row.accepted) >= expected) break;
      if (performance.now() - started > 600_000)
        throw new Error(`submission incomplete after 10 min: ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const submitMs = performance.now() - started;
    const billed = (await options.control.usageEvents()).filter((event) => ids.includes(event.resourceId)).length;
    if (billed !== expected) throw new Error(`the sandbox billed ${billed} events, expected ${expected}`);

    return [
      { name: "usage ingest, 1 record per request, 8 in flight (latency)", samples: single.latencies },
      {
        name: "usage ingest, 1 record per request (throughput)",
        samples: [(singles / single.wallMs) * 1000],
        unit: "rec/s",
      },
      { name: "usage ingest, 500 records per request, 2 in flight (latency)", samples: batch.latencies },
      {
        name: "usage ingest, 500 records per request (throughput)",
        samples: [((batches * 500) / batch.wallMs) * 1000],
        unit: "rec/s",
      },
      {
        name: `aggregate ${expected / 1000}k subscription-hours (queued run → all records folded)`,
        samples: [aggregatedMs],
      },
      {
        name: `aggregate + submit ${expected / 1000}k subscription-hours to the Metering API (→ all accepted)`,
        samples: [submitMs],
      },
    ];
  } finally {
    await client.end();
  }
}
