/**
 * The SSRF guard with no allow-list (production's default): an endpoint whose host is this
 * machine is never contacted — not by a delivery, not by a retry — while the same receiver is
 * reachable as soon as the allow-list names it. The receiver speaks https with the sandbox's
 * certificate for localhost, so only the guard stands between the delivery and it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import type { RunningWorkers } from "@/lib/jobs/engine";
import { snapshotOf, syncFrom } from "@/tests/support/event-subscriptions";
import { startEventReceiver } from "@/tests/support/event-receiver";
import { startJobs } from "@/tests/support/jobs";
import { seeded } from "@/tests/support/sandbox-env";
import { until } from "@/tests/support/until";
import { endpointInput } from "./endpoint-input";
import { createEndpoint } from "./manage-endpoints";
import { sendEvent } from "./send-event";

process.env.EVENT_ENDPOINT_ALLOWED_HOSTS = "";
process.env.EVENT_RETRY_BASE_SECONDS = "0.2";
process.env.EVENT_RETRY_MAX_DELAY_SECONDS = "0.3";

const admin = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
const tlsDir = path.join(process.env.SANDBOX_DATA_DIR ?? "", "tls");
let product: Awaited<ReturnType<typeof startEventReceiver>>;
let workers: RunningWorkers;

beforeAll(async () => {
  await db().eventEndpoint.deleteMany();
  product = await startEventReceiver({
    tls: {
      key: readFileSync(path.join(tlsDir, "server-key.pem"), "utf8"),
      cert: readFileSync(path.join(tlsDir, "server.pem"), "utf8"),
    },
  });
  workers = await startJobs();
});

afterAll(async () => {
  await workers.stop();
  await db().eventEndpoint.deleteMany();
  await product.close();
});

const send = (url: string, allowList: string[]) =>
  sendEvent({ url, headers: { "content-type": "application/json" }, body: "{}", timeoutMs: 5000, allowList });

describe("no delivery to this machine without the allow-list", () => {
  it("reaches the receiver only when the allow-list names it", async () => {
    const url = product.url("/events", "localhost");
    expect(await send(url, ["localhost"])).toMatchObject({ outcome: "delivered", statusCode: 204 });
    expect(product.received).toHaveLength(1);

    const refused = await send(url, []);
    expect(refused).toMatchObject({ outcome: "refused_address", statusCode: null });
    expect(refused.error).toMatch(/^Not sent: localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    const literal = await send(product.url("/events", "127.0.0.1"), []);
    expect(literal.error).toBe(
      "Not sent: 127.0.0.1 is a loopback address: events go to public addresses only, unless EVENT_ENDPOINT_ALLOWED_HOSTS allows it.",
    );
    expect(product.received).toHaveLength(1);
  });

  it("refuses such an endpoint in the console's form", () => {
    const parsed = endpointInput([]).safeParse({
      url: product.url("/events", "127.0.0.1"),
      description: "",
      eventTypes: [],
    });
    expect(parsed.error?.issues[0]?.message).toContain("127.0.0.1 is a loopback address");
  });

  it("records every attempt of a delivery to it as refused, and never connects", async () => {
    const before = product.received.length;
    // As if it had been allowed when it was created (the allow-list changed since).
    const { endpoint } = await createEndpoint({
      input: { url: product.url("/events", "localhost"), description: "was allowed", eventTypes: [] },
      actor: admin,
    });
    const { id } = await syncFrom(snapshotOf());
    const delivery = await until(
      () =>
        db().eventDelivery.findFirstOrThrow({
          where: { endpointId: endpoint.id, event: { subscriptionId: id } },
          include: { attempts: true },
        }),
      (row) => row.attempts.length >= 2,
      "two refused attempts",
    );
    expect(delivery.status).toBe("pending");
    for (const attempt of delivery.attempts) {
      expect(attempt).toMatchObject({ outcome: "refused_address", statusCode: null });
      expect(attempt.error).toContain("a loopback address");
    }
    expect(product.received).toHaveLength(before);
  });
});
