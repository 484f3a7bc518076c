/**
 * OpenTelemetry end to end inside the portal's code: the real SDK exporting OTLP/HTTP (JSON) to a
 * small receiver in this process, a real marketplace call against the sandbox, and real jobs on the
 * job engine. Then a collector that is not there (a closed port) and one that never answers (a
 * black hole): calls and jobs go on, and the failure is logged once.
 */
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { authenticateApiKey } from "@/lib/api-keys/authenticate-api-key";
import { createApiKey } from "@/lib/api-keys/create-api-key";
import { db } from "@/lib/db";
import type { TelemetrySettings } from "@/lib/env";
import { defineJob } from "@/lib/jobs/define-job";
import { ensureQueue, jobEngine, startJobWorkers, type RunningWorkers } from "@/lib/jobs/engine";
import { enqueue } from "@/lib/jobs/enqueue";
import { readQueueStats } from "@/lib/jobs/read-queue-stats";
import { wakeWorkers } from "@/lib/jobs/wake";
import { isMarketplaceError, marketplace } from "@/lib/marketplace";
import { ingestUsage } from "@/lib/metering/ingest-usage";
import { submitUsage } from "@/lib/metering/submit-usage";
import { activateSubscription } from "@/lib/subscriptions/activate-subscription";
import { resolvePurchase } from "@/lib/subscriptions/resolve-purchase";
import { flushTelemetry, startTelemetry, stopTelemetry } from "@/lib/telemetry/start-telemetry";
import { telemetry, withSpan } from "@/lib/telemetry/telemetry";
import { createWebhookFastPath } from "@/lib/webhooks/serve-webhook-node";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "@/scripts/otel-receiver";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { awayFromHourBoundary } from "@/tests/support/clock";
import { until } from "@/tests/support/until";

const sandbox = sandboxControl();

function settings(endpoint: string, overrides: Partial<TelemetrySettings> = {}): TelemetrySettings {
  return {
    enabled: true,
    serviceName: "portal-under-test",
    resourceAttributes: { "deployment.environment.name": "test" },
    traces: { url: `${endpoint}/v1/traces`, protocol: "http/json" },
    metrics: { url: `${endpoint}/v1/metrics`, protocol: "http/json" },
    headers: {},
    timeoutMs: 2000,
    sampler: { name: "parentbased_always_on", ratio: 1 },
    metricExportIntervalMs: 60_000, // flushed by the tests when they want metrics
    spanExportDelayMs: 50,
    spanQueueSize: 2048,
    logLevel: "none",
    ...overrides,
  };
}

/** A test job that makes a marketplace call, or fails when asked to. */
const probeJob = defineJob({
  name: "telemetry-probe",
  payload: z.object({ subscriptionId: z.string(), fail: z.boolean(), tag: z.string().default("") }),
  key: (payload) => `${payload.subscriptionId}:${payload.fail}:${payload.tag}`,
  retry: { limit: 0, delaySeconds: 1, backoff: false },
  expireInSeconds: 60,
  run: async (payload) => {
    await marketplace().getSubscription(payload.subscriptionId);
    if (payload.fail) throw new Error("the probe was told to fail");
  },
});
/** A job nobody works on: it stays in the queue, for the depth gauge. */
const idleJob = defineJob({
  name: "telemetry-idle",
  payload: z.object({ n: z.number() }),
  key: (payload) => String(payload.n),
  retry: { limit: 0, delaySeconds: 1, backoff: false },
  expireInSeconds: 60,
  run: async () => undefined,
});

let subscriptionId: string;
let workers: RunningWorkers;

beforeAll(async () => {
  const boss = await jobEngine();
  await ensureQueue(boss, probeJob);
  await ensureQueue(boss, idleJob);
  workers = await startJobWorkers([probeJob], { pollingIntervalSeconds: 0.5 });
  const purchase = await sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "basic",
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
  });
  subscriptionId = purchase.subscriptionId;
});

afterAll(async () => {
  await workers.stop();
  await stopTelemetry();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await sandbox.clearFaults();
});

const spanNamed = (receiver: OtlpReceiver, name: string, where: (span: ReceivedSpan) => boolean = () => true) =>
  until(
    async () => {
      await flushTelemetry();
      return receiver.spans.find((span) => span.name === name && where(span));
    },
    (span): span is ReceivedSpan => span !== undefined,
    `the span "${name}"`,
  );

/** The exported metric points, once `accept` holds for them. */
const pointsUntil = (receiver: OtlpReceiver, accept: (points: OtlpReceiver["points"]) => boolean, what: string) =>
  until(
    async () => {
      await flushTelemetry();
      return receiver.points;
    },
    accept,
    what,
  );

describe("with a collector", () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    startTelemetry(settings(receiver.url));
  });
  afterAll(async () => {
    await stopTelemetry();
    await receiver.close();
  });

  it("a marketplace call is a span under the caller's, with Microsoft's request and correlation ids, the status and the retries; its log lines carry the trace id", async () => {
    const since = new Date();
    await sandbox.addFault({
      method: "GET",
      pathPattern: `/saas/subscriptions/${subscriptionId}`,
      status: 503,
      times: 1,
    });
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const parent = await withSpan("test request", {}, async (span) => {
      await marketplace().getSubscription(subscriptionId, { correlationId: "c0ffee00-0000-4000-8000-000000000001" });
      return span.spanContext();
    });

    const span = await spanNamed(receiver, "marketplace getSubscription", (s) => s.traceId === parent.traceId);
    const calls = await sandbox.calls({ since, operation: "getSubscription", subscriptionId });
    expect(calls.map((call) => call.status)).toEqual([503, 200]);
    expect(span).toMatchObject({
      kind: 3, // client
      parentSpanId: parent.spanId,
      scope: "marketplace-portal",
      status: { code: 0 },
      resource: { "service.name": "portal-under-test", "deployment.environment.name": "test" },
      attributes: {
        "marketplace.operation": "getSubscription",
        "marketplace.request_id": calls[1]!.requestId,
        "marketplace.correlation_id": "c0ffee00-0000-4000-8000-000000000001",
        "http.request.method": "GET",
        "http.response.status_code": 200,
        "http.request.resend_count": 1,
        "url.path": `/api/saas/subscriptions/${subscriptionId}`,
      },
    });
    expect(span.events).toEqual([
      { name: "retry", attributes: { "http.response.status_code": 503, "error.type": "503" } },
    ]);
    // The client's warning about the retry was written inside the call's span.
    const retryLine = warnings.mock.calls
      .map((call) => JSON.parse(String(call[0])) as Record<string, unknown>)
      .find((line) => line.message === "marketplace call retry");
    expect(retryLine).toMatchObject({ trace_id: span.traceId, span_id: span.spanId });
  });

  it("a refused call is a failed span with the error's kind and Microsoft's request id, and counted as an error", async () => {
    const unknown = "00000000-dead-4000-8000-000000000000";
    const error = await marketplace()
      .getSubscription(unknown)
      .catch((caught: unknown) => caught);
    expect(isMarketplaceError(error, "not_found")).toBe(true);
    const span = await spanNamed(
      receiver,
      "marketplace getSubscription",
      (s) => s.attributes["url.path"] === `/api/saas/subscriptions/${unknown}`,
    );
    expect(span).toMatchObject({
      parentSpanId: undefined,
      status: { code: 2 },
      attributes: {
        "http.response.status_code": 404,
        "error.type": "not_found",
        "marketplace.request_id": isMarketplaceError(error) ? error.requestId : "?",
        "http.request.resend_count": 0,
      },
    });
    await pointsUntil(
      receiver,
      (points) =>
        points.some(
          (point) =>
            point.metric === "portal.marketplace.call.errors" &&
            point.attributes["marketplace.operation"] === "getSubscription" &&
            point.attributes["error.type"] === "not_found" &&
            point.value === 1,
        ) &&
        points.some(
          (point) =>
            point.metric === "portal.marketplace.call.duration" &&
            point.unit === "s" &&
            point.attributes["http.response.status_code"] === 200 &&
            (point.count ?? 0) >= 1,
        ),
      "the call metrics",
    );
  });

  it("a webhook delivery served before Next.js (the standalone server's fast path) is a server span continuing the caller's traceparent; its refusal is logged in it and counted", async () => {
    const serveWebhook = createWebhookFastPath();
    const server = createHttpServer((req, res) => {
      if (!serveWebhook(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const traceId = randomUUID().replaceAll("-", "");
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/api/marketplace/webhook`, {
        method: "POST",
        headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, authorization: "Bearer not-a-token" },
        body: JSON.stringify({ id: "x" }),
      });
      expect(response.status).toBe(401);
      const span = await spanNamed(receiver, "POST /api/marketplace/webhook", (s) => s.traceId === traceId);
      expect(span).toMatchObject({
        kind: 2, // server
        parentSpanId: "00f067aa0ba902b7",
        attributes: { "http.method": "POST", "http.route": "/api/marketplace/webhook", "http.status_code": 401 },
      });
      const refusal = warnings.mock.calls
        .map((call) => JSON.parse(String(call[0])) as Record<string, unknown>)
        .find((line) => line.message === "webhook refused: authentication failed");
      expect(refusal).toMatchObject({ trace_id: traceId, span_id: span.spanId });
      await pointsUntil(
        receiver,
        (points) =>
          points.some(
            (point) =>
              point.metric === "portal.webhook.deliveries" &&
              point.attributes.outcome === "refused" &&
              point.attributes["http.response.status_code"] === 401,
          ),
        "the refused delivery counted",
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("a job's run is a trace of its own with the job's name and outcome, its marketplace call inside it", async () => {
    await db().$transaction(async (tx) => {
      await enqueue(tx, probeJob, { subscriptionId, fail: false });
      await enqueue(tx, probeJob, { subscriptionId, fail: true });
    });
    wakeWorkers();
    const completed = await spanNamed(
      receiver,
      "job telemetry-probe",
      (s) => s.attributes["job.outcome"] === "completed",
    );
    const failed = await spanNamed(receiver, "job telemetry-probe", (s) => s.attributes["job.outcome"] === "failed");
    expect(completed).toMatchObject({
      kind: 5, // consumer
      parentSpanId: undefined,
      status: { code: 0 },
      attributes: { "job.name": "telemetry-probe", "job.attempt": 1, "job.id": expect.any(String) },
    });
    expect(failed.status).toEqual({ code: 2, message: "the probe was told to fail" });
    const call = await spanNamed(receiver, "marketplace getSubscription", (s) => s.parentSpanId === completed.spanId);
    expect(call.traceId).toBe(completed.traceId);

    await until(
      async () => {
        await flushTelemetry();
        return receiver.points.filter((point) => point.metric === "portal.job.duration");
      },
      (points) =>
        ["completed", "failed"].every((outcome) =>
          points.some(
            (point) =>
              point.attributes["job.name"] === "telemetry-probe" &&
              point.attributes["job.outcome"] === outcome &&
              point.count === 1,
          ),
        ),
      "job durations by outcome",
    );
  });

  it("a job enqueued inside a span is linked to it (not its child); one stored without a trace context still runs, unlinked", async () => {
    const request = await withSpan("test request enqueuing", {}, async (span) => {
      await db().$transaction((tx) => enqueue(tx, probeJob, { subscriptionId, fail: false, tag: "linked" }));
      return span.spanContext();
    });
    // As a job enqueued before trace contexts were carried: the payload alone.
    await (await jobEngine()).send(probeJob.name, { subscriptionId, fail: false, tag: "legacy" });
    wakeWorkers();

    const linked = await spanNamed(receiver, "job telemetry-probe", (s) => s.links.length > 0);
    expect(linked.parentSpanId).toBeUndefined();
    expect(linked.traceId).not.toBe(request.traceId);
    expect(linked.links).toEqual([
      { traceId: request.traceId, spanId: request.spanId, attributes: { "portal.link": "enqueued_by" } },
    ]);
    expect(linked.attributes["job.outcome"]).toBe("completed");
    const rows = await db().$queryRawUnsafe<{ id: string; data: Record<string, unknown> }[]>(
      `SELECT id::text AS id, data FROM pgboss.job WHERE name = $1 AND data->>'tag' IN ('linked', 'legacy')`,
      probeJob.name,
    );
    const stored = Object.fromEntries(rows.map((row) => [row.data.tag, row]));
    expect(stored.linked?.data._traceContext).toEqual({
      traceparent: `00-${request.traceId}-${request.spanId}-01`,
    });
    expect(stored.legacy?.data).not.toHaveProperty("_traceContext");

    const legacy = await spanNamed(
      receiver,
      "job telemetry-probe",
      (s) => s.attributes["job.id"] === stored.legacy?.id,
    );
    expect(legacy.links).toEqual([]);
    expect(legacy.attributes["job.outcome"]).toBe("completed");
  });

  it("the job queue's depth and oldest age are gauges read from the engine's table", async () => {
    telemetry.observeJobQueues(() => readQueueStats([probeJob, idleJob]));
    await db().$transaction(async (tx) => {
      await enqueue(tx, idleJob, { n: 1 });
      await enqueue(tx, idleJob, { n: 2 });
      // Booked for later: not waiting yet.
      await enqueue(tx, idleJob, { n: 3 }, { startAfter: new Date(Date.now() + 3_600_000) });
    });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // an age of at least a second
    receiver.points.length = 0;
    const points = await until(
      async () => {
        await flushTelemetry();
        return receiver.points.filter((point) => point.metric.startsWith("portal.jobs.queue."));
      },
      (found) => found.some((point) => point.attributes["job.name"] === "telemetry-idle"),
      "the queue gauges",
    );
    const of = (metric: string, job: string) =>
      points.find((point) => point.metric === metric && point.attributes["job.name"] === job);
    expect(of("portal.jobs.queue.depth", "telemetry-idle")).toMatchObject({ type: "gauge", value: 2 });
    expect(of("portal.jobs.queue.oldest_age", "telemetry-idle")?.value).toBeGreaterThanOrEqual(1);
    expect(of("portal.jobs.queue.oldest_age", "telemetry-idle")?.unit).toBe("s");
    expect(of("portal.jobs.queue.depth", "telemetry-probe")).toMatchObject({ value: 0 });
  });

  it("usage records ingested, refused and submitted to Microsoft are counted", async () => {
    await awayFromHourBoundary();
    const publisher = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
    const created = await createApiKey({
      input: { name: "telemetry test", scopes: ["usage:write"], offerIds: [], tenantIds: [] },
      actor: publisher,
    });
    const key = await authenticateApiKey({ authorization: `Bearer ${created.key}`, scope: "usage:write" });
    if (!key.ok) throw new Error("the new key does not authenticate");
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "basic",
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    });
    const alice = { tid: seeded.alice.tid, oid: seeded.alice.oid, roles: [] };
    await resolvePurchase({ token: purchase.token, actor: alice });
    await activateSubscription({
      subscriptionId: purchase.subscriptionId,
      accountConfig: {
        companyName: "Fabrikam",
        contactName: "Alice",
        contactEmail: "it@fabrikam.example",
        acceptTerms: "on",
      },
      actor: alice,
    });
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const good = {
      subscriptionId: purchase.subscriptionId,
      dimension: "reports",
      quantity: 3,
      effectiveAt: twoHoursAgo,
    };
    const stored = { ...good, idempotencyKey: randomUUID() };
    const answer = await ingestUsage({
      apiKey: key.apiKey,
      body: { records: [stored, { ...good, dimension: "no-such-dimension", idempotencyKey: randomUUID() }] },
    });
    expect(answer.body).toMatchObject({ accepted: 1, refused: 1 });
    const replay = await ingestUsage({ apiKey: key.apiKey, body: stored });
    expect(replay.body.results[0]).toMatchObject({ status: "accepted", replayed: true }); // not counted again
    const summary = await submitUsage({ trigger: "manual" });
    expect(summary.outcomes.accepted).toBeGreaterThanOrEqual(1);

    const points = await until(
      async () => {
        await flushTelemetry();
        return receiver.points.filter((point) => point.metric.startsWith("portal.usage."));
      },
      (found) => found.some((point) => point.metric === "portal.usage.events.submitted"),
      "the usage counters",
    );
    const last = (metric: string, attributes: Record<string, string> = {}) =>
      [...points]
        .reverse()
        .find(
          (point) =>
            point.metric === metric &&
            Object.entries(attributes).every(([key, value]) => point.attributes[key] === value),
        )?.value;
    expect(last("portal.usage.records.ingested")).toBe(1);
    expect(last("portal.usage.records.refused", { "usage.refusal.code": "dimension_unknown" })).toBe(1);
    expect(last("portal.usage.events.submitted", { "usage.outcome": "accepted" })).toBe(summary.outcomes.accepted);
    await spanNamed(receiver, "marketplace batchUsageEvent");
  });
});

describe("without a collector", () => {
  /** The portal's warning lines about telemetry exports. */
  const exportWarnings = (spy: { mock: { calls: unknown[][] } }) =>
    spy.mock.calls
      .map((call) => JSON.parse(String(call[0])) as Record<string, unknown>)
      .filter((line) => String(line.message).startsWith("telemetry export failed"));

  it("a closed port: calls and jobs go on, and the failure is logged once", async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    startTelemetry(settings(`http://127.0.0.1:${closedPort}`));
    try {
      // The span's end starts the batch's timer, inside the call's trace; the export fails on that timer.
      await withSpan("a request", {}, () => marketplace().getSubscription(subscriptionId));
      const [first] = await until(
        async () => exportWarnings(warnings),
        (lines) => lines.length > 0,
        "the export failure logged",
      );
      expect(first).not.toHaveProperty("trace_id"); // the line is about the exporter, not that request
      for (let round = 0; round < 3; round += 1) {
        await marketplace().getSubscription(subscriptionId);
        await flushTelemetry(); // another export that fails (connection refused)
      }
      await db().$transaction((tx) => enqueue(tx, probeJob, { subscriptionId: `${subscriptionId}`, fail: false }));
      wakeWorkers();
      await until(
        () => readQueueStats([probeJob]),
        (stats) => stats[0]?.depth === 0,
        "the probe job taken",
      );
      await flushTelemetry();
      // Both signals failed, several times: one line.
      expect(exportWarnings(warnings)).toEqual([
        expect.objectContaining({
          level: "warn",
          signal: expect.stringMatching(/^(traces|metrics)$/),
          endpoint: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${closedPort}/v1/(traces|metrics)$`)),
          error: expect.stringMatching(/ECONNREFUSED/),
        }),
      ]);
    } finally {
      await stopTelemetry();
    }
  });

  it("a collector that never answers: a call made while an export hangs finishes, and the export gives up after its timeout, logged once", async () => {
    const blackHole = await startOtlpReceiver({ blackHole: true });
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    startTelemetry(settings(blackHole.url, { timeoutMs: 3000 }));
    try {
      await withSpan("before", {}, async () => undefined);
      const hanging = flushTelemetry();
      await until(
        async () => blackHole.requests,
        (requests) => requests >= 1,
        "an export at the black hole",
      );
      const subscription = await marketplace().getSubscription(subscriptionId);
      expect(subscription.id).toBe(subscriptionId);
      // The call is done while the export it followed is still waiting for an answer.
      expect(exportWarnings(warnings)).toEqual([]);
      await hanging;
      await flushTelemetry();
      expect(exportWarnings(warnings)).toEqual([
        expect.objectContaining({ endpoint: expect.stringContaining(blackHole.url), error: expect.any(String) }),
      ]);
    } finally {
      await stopTelemetry();
      await blackHole.close();
    }
  });
});
