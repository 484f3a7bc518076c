/**
 * Variants that change the Fulfillment API's answers (variants.ts): the control API that switches
 * them, and, for each one, the raw HTTP a client sees with it on, and the documented answer again
 * once it is off.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallRecord } from "./call-log";
import { createMarketplaceEmulator } from "./index";
import { UNKNOWN_FIELDS } from "./variant-answers";
import { VARIANTS } from "./variants";
import {
  buy,
  buyActive,
  catalog,
  createTestIdentityProvider,
  directory,
  LANDING_URL,
  startEmulator,
  tempDataDir,
  waitFor,
  type Reply,
  type RunningEmulator,
} from "./test-harness";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ settings: { operationDelayMs: 100, ackTimeoutMs: 30_000 } });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(async () => {
  await variants([]);
  await emu.request("DELETE", "/sandbox-api/calls");
});

interface VariantsView {
  available: Array<{ name: string; description: string }>;
  enabled: string[];
}
interface Operation {
  id: string;
  status: string;
  settledBy: string | null;
}

async function variants(enabled: string[] | "all"): Promise<Reply> {
  return emu.request("POST", "/sandbox-api/variants", { body: { enabled } });
}

async function on(...names: string[]): Promise<void> {
  const reply = await variants(names);
  if (reply.status !== 200) throw new Error(`variants: ${reply.status} ${reply.text}`);
}

const subscriptionPath = (id: string) => `/api/saas/subscriptions/${id}`;

async function operations(id: string): Promise<Operation[]> {
  return (await emu.request("GET", `/sandbox-api/subscriptions/${id}`)).json<{ operations: Operation[] }>().operations;
}

async function calls(): Promise<CallRecord[]> {
  return (await emu.request("GET", "/sandbox-api/calls")).json<{ calls: CallRecord[] }>().calls;
}

describe("control API /sandbox-api/variants", () => {
  it("lists every variant with its description and none enabled by default", async () => {
    const reply = await emu.request("GET", "/sandbox-api/variants");
    expect(reply.status).toBe(200);
    const view = reply.json<VariantsView>();
    expect(view.enabled).toEqual([]);
    expect(view.available.map((v) => v.name)).toEqual([
      "text-bodies",
      "bare-arrays",
      "unknown-fields",
      "notify-only-reinstate",
      "slow-activation",
      "activate-not-idempotent",
      "lost-answer",
      "ack-answer-lost",
      "delayed-apply",
      "reordered-webhooks",
      "subscribe-operation-unknown",
      "hourly-usage-events",
      "app-id-uri-audience",
      "v2-webhook-tokens",
      "throttle-no-retry-after",
      "html-errors",
      "no-operation-location",
      "operation-statuses",
      "mixed-usage-batch",
      "pending-expiry",
    ]);
    for (const v of view.available) expect(v.description.length).toBeGreaterThan(20);
  });

  it("replaces the set, accepts all, and refuses an unknown name without changing anything", async () => {
    const set = await variants(["bare-arrays", " text-bodies "]);
    expect(set.status).toBe(200);
    expect(set.json<VariantsView>().enabled).toEqual(["text-bodies", "bare-arrays"]);

    const unknown = await variants(["text-bodies", "slow-activaton"]);
    expect(unknown.status).toBe(400);
    expect(unknown.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: "BadRequest",
      message: expect.stringMatching(/^Unknown sandbox variant "slow-activaton"; known: text-bodies, /),
    });
    expect((await emu.request("GET", "/sandbox-api/variants")).json<VariantsView>().enabled).toEqual([
      "text-bodies",
      "bare-arrays",
    ]);

    expect((await variants("all")).json<VariantsView>().enabled).toHaveLength(VARIANTS.length);
    expect((await variants(["lost-answer"])).json<VariantsView>().enabled).toEqual(["lost-answer"]);
    expect((await variants([])).json<VariantsView>().enabled).toEqual([]);
    expect((await emu.request("POST", "/sandbox-api/variants", { body: { enabled: "text-bodies" } })).status).toBe(400);
    expect((await emu.request("POST", "/sandbox-api/variants", { body: {} })).status).toBe(400);
  });

  it("shows the enabled variants on the home and subscription pages, and nothing when none is on", async () => {
    const { subscriptionId } = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    await on("bare-arrays", "delayed-apply");
    expect((await emu.request("GET", `/marketplace/subscriptions/${subscriptionId}`)).text).toMatch(
      /data-testid="sandbox-variants"[^]*delayed-apply/,
    );
    const page = await emu.request("GET", "/");
    expect(page.text).toContain('data-testid="sandbox-variants"');
    expect(page.text).toMatch(/Variants on \(2\)/);
    expect(page.text).toContain('<span class="mono">bare-arrays</span>');
    expect(page.text).toContain('<span class="mono">delayed-apply</span>');
    expect(page.text).not.toContain('<span class="mono">text-bodies</span>');
    await on();
    expect((await emu.request("GET", "/")).text).not.toContain("sandbox-variants");
    expect((await emu.request("GET", `/marketplace/subscriptions/${subscriptionId}`)).text).not.toContain(
      "sandbox-variants",
    );
  });

  it("starts with the variants given at start-up, and refuses to start with an unknown one", async () => {
    const started = await startEmulator({ variants: ["unknown-fields"] });
    try {
      expect((await started.request("GET", "/sandbox-api/variants")).json<VariantsView>().enabled).toEqual([
        "unknown-fields",
      ]);
    } finally {
      await started.close();
    }
    const idp = await createTestIdentityProvider("https://localhost:1");
    await expect(
      createMarketplaceEmulator({
        baseUrl: "https://localhost:1",
        dataDir: tempDataDir(),
        portalUrl: "http://localhost:3000",
        landingUrl: LANDING_URL,
        directory,
        catalog,
        idp,
        variants: ["text-bodies", "no-such-variant"],
      }),
    ).rejects.toThrow(/Unknown sandbox variant "no-such-variant"/);
  });
});

describe("text-bodies", () => {
  it("answers OK / Accepted as text/plain where the contract has no body; off: empty again", async () => {
    await on("text-bodies");
    const { subscriptionId: id } = await buy(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    const activation = await emu.api("POST", `${subscriptionPath(id)}/activate`, {
      body: { planId: "pro-seats", quantity: 2 },
    });
    expect(activation.status).toBe(200);
    expect(activation.headers["content-type"]).toMatch(/^text\/plain/);
    expect(activation.text).toBe("OK");

    const patch = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 3 } });
    expect(patch.status).toBe(202);
    expect(patch.headers["content-type"]).toMatch(/^text\/plain/);
    expect(patch.text).toBe("Accepted");
    const location = String(patch.headers["operation-location"]);
    expect(location).toContain(`/api/saas/subscriptions/${id}/operations/`);

    // Acknowledging the change (InProgress: the ACK window is long here) answers "OK".
    const ack = await emu.api("PATCH", `${subscriptionPath(id)}/operations/${String(patch.headers["operation-id"])}`, {
      body: { status: "Success" },
    });
    expect(ack.status).toBe(200);
    expect(ack.headers["content-type"]).toMatch(/^text\/plain/);
    expect(ack.text).toBe("OK");

    const removal = await emu.api("DELETE", subscriptionPath(id));
    expect(removal).toMatchObject({ status: 202, text: "Accepted" });
    expect(removal.headers["operation-location"]).toBeDefined();

    // JSON answers and errors keep their shape.
    expect((await emu.api("GET", subscriptionPath(id))).headers["content-type"]).toMatch(/^application\/json/);
    expect((await emu.api("DELETE", subscriptionPath(id))).json()).toMatchObject({ error: { code: "Conflict" } });

    await on();
    const other = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    const quiet = await emu.api("POST", `${subscriptionPath(other.subscriptionId)}/activate`, {
      body: { planId: "standard" },
    });
    expect(quiet.status).toBe(200);
    expect(quiet.text).toBe("");
    expect(quiet.headers["content-type"]).toBeUndefined();
  });
});

describe("bare-arrays", () => {
  it("answers bare arrays for outstanding operations and available plans; off: the documented wrappers", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    await on("bare-arrays");
    const none = await emu.api("GET", `${subscriptionPath(id)}/operations`);
    expect(none.status).toBe(200);
    expect(none.json()).toEqual([]);
    const plans = (await emu.api("GET", `${subscriptionPath(id)}/listAvailablePlans`)).json<
      Array<{ planId: string }>
    >();
    expect(Array.isArray(plans)).toBe(true);
    expect(plans.map((p) => p.planId)).toEqual(
      catalog.offers.find((o) => o.offerId === "contoso-analytics")?.plans.map((p) => p.planId),
    );
    expect((await emu.api("GET", `${subscriptionPath(id)}/listAvailablePlans?planId=basic`)).json()).toMatchObject([
      { planId: "basic" },
    ]);

    const patch = await emu.api("PATCH", subscriptionPath(id), { body: { planId: "pro-seats" } });
    const pending = (await emu.api("GET", `${subscriptionPath(id)}/operations`)).json<
      Array<{ id: string; status: string }>
    >();
    expect(pending).toEqual([
      expect.objectContaining({ id: String(patch.headers["operation-id"]), status: "InProgress" }),
    ]);

    await on();
    expect(
      (await emu.api("GET", `${subscriptionPath(id)}/operations`)).json<{ operations: unknown[] }>().operations,
    ).toHaveLength(1);
    expect(
      (await emu.api("GET", `${subscriptionPath(id)}/listAvailablePlans`)).json<{ plans: unknown[] }>().plans.length,
    ).toBeGreaterThan(1);
  });
});

describe("unknown-fields", () => {
  it("adds undocumented fields to every object and a trailing space to statuses; off: the documented shapes", async () => {
    const { subscriptionId: id, token } = await buy(emu, {
      offerId: "contoso-analytics",
      planId: "pro-seats",
      quantity: 2,
    });
    await on("unknown-fields");
    const resolved = (
      await emu.api("POST", "/api/saas/subscriptions/resolve", { headers: { "x-ms-marketplace-token": token } })
    ).json<Record<string, unknown>>();
    expect(resolved).toMatchObject({
      id,
      ...UNKNOWN_FIELDS,
      subscription: { saasSubscriptionStatus: "PendingFulfillmentStart ", ...UNKNOWN_FIELDS },
    });

    expect(
      (await emu.api("POST", `${subscriptionPath(id)}/activate`, { body: { planId: "pro-seats", quantity: 2 } }))
        .status,
    ).toBe(200);
    const subscription = (await emu.api("GET", subscriptionPath(id))).json<Record<string, unknown>>();
    expect(subscription).toMatchObject({
      id,
      saasSubscriptionStatus: "Subscribed ",
      ...UNKNOWN_FIELDS,
      beneficiary: UNKNOWN_FIELDS,
      purchaser: UNKNOWN_FIELDS,
      term: { termUnit: "P1M", ...UNKNOWN_FIELDS },
    });
    const list = (await emu.api("GET", "/api/saas/subscriptions")).json<{
      subscriptions: Array<Record<string, unknown>>;
    }>();
    expect(list).toMatchObject(UNKNOWN_FIELDS);
    expect(
      list.subscriptions.every(
        (s) => s.futureField === UNKNOWN_FIELDS.futureField && String(s.saasSubscriptionStatus).endsWith(" "),
      ),
    ).toBe(true);

    const plans = (await emu.api("GET", `${subscriptionPath(id)}/listAvailablePlans`)).json<{
      plans: Array<Record<string, unknown>>;
    }>();
    expect(plans).toMatchObject(UNKNOWN_FIELDS);
    expect(plans.plans[0]).toMatchObject({ ...UNKNOWN_FIELDS, planComponents: UNKNOWN_FIELDS });

    const patch = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 4 } });
    const location = String(patch.headers["operation-location"]);
    expect((await emu.api("GET", location)).json()).toMatchObject({
      status: "InProgress ",
      action: "ChangeQuantity",
      ...UNKNOWN_FIELDS,
    });
    const outstanding = (await emu.api("GET", `${subscriptionPath(id)}/operations`)).json<{ operations: unknown[] }>();
    expect(outstanding).toMatchObject({
      ...UNKNOWN_FIELDS,
      operations: [{ status: "InProgress ", ...UNKNOWN_FIELDS }],
    });
    // Errors and the control API keep their shapes.
    expect((await emu.api("GET", subscriptionPath("00000000-0000-4000-8000-000000000000"))).json()).toEqual({
      error: { code: "NotFound", message: expect.any(String) },
    });

    await on();
    const plain = (await emu.api("GET", subscriptionPath(id))).json<Record<string, unknown>>();
    expect(plain.saasSubscriptionStatus).toBe("Subscribed");
    expect(JSON.stringify(plain)).not.toMatch(/futureField|x-sandbox-extra/);
    expect((await emu.api("GET", location)).json()).toMatchObject({ status: "InProgress" });
  });
});

describe("lost-answer", () => {
  it("processes PATCH and DELETE subscription but drops the connection; off: answered again", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    await on("lost-answer");
    await expect(emu.api("PATCH", subscriptionPath(id), { body: { quantity: 5 } })).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    const [change] = await operations(id);
    expect(change).toMatchObject({ status: "InProgress" });
    // Every such call while on: a retry (here a 409, the operation is pending) is lost too.
    await expect(emu.api("PATCH", subscriptionPath(id), { body: { quantity: 6 } })).rejects.toThrow();
    // Other calls are answered.
    expect((await emu.api("GET", `${subscriptionPath(id)}/operations`)).status).toBe(200);

    const lost = (await calls()).filter((c) => c.method === "PATCH");
    expect(lost).toEqual([
      expect.objectContaining({ status: 0, lostAnswer: { status: 202, variant: "lost-answer" } }),
      expect.objectContaining({ status: 0, lostAnswer: { status: 409, variant: "lost-answer" } }),
    ]);

    // The change still proceeds (acknowledged here) and the next DELETE is processed unseen too.
    if (!change) throw new Error("no operation");
    await waitFor(async () => {
      const reply = await emu.api("PATCH", `${subscriptionPath(id)}/operations/${change.id}`, {
        body: { status: "Success" },
      });
      return reply.status === 200 ? reply : undefined;
    });
    expect((await emu.api("GET", subscriptionPath(id))).json()).toMatchObject({ quantity: 5 });
    await expect(emu.api("DELETE", subscriptionPath(id))).rejects.toThrow();
    const unsubscribe = await waitFor(async () => (await operations(id)).find((o) => o.id !== change.id));
    expect(unsubscribe).toBeDefined();
    await waitFor(async () =>
      (await emu.api("GET", subscriptionPath(id))).json<{ saasSubscriptionStatus: string }>().saasSubscriptionStatus ===
      "Unsubscribed"
        ? true
        : undefined,
    );

    await on();
    const other = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    expect((await emu.api("DELETE", subscriptionPath(other))).status).toBe(202);
  });
});

describe("lost-answer on Activate", () => {
  it("activates but drops the connection; a repeat is answered (200, already active); off: answered again", async () => {
    const { subscriptionId: id } = await buy(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    await on("lost-answer");
    const activatePath = `${subscriptionPath(id)}/activate`;
    await expect(emu.api("POST", activatePath, { body: { planId: "pro-seats", quantity: 2 } })).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    expect((await emu.api("GET", subscriptionPath(id))).json()).toMatchObject({ saasSubscriptionStatus: "Subscribed" });
    // The repeat changes nothing, and its answer arrives.
    expect((await emu.api("POST", activatePath, { body: { planId: "pro-seats", quantity: 2 } })).status).toBe(200);
    // A refused Activate is answered too: only what was processed loses its answer.
    expect((await emu.api("POST", activatePath, { body: { planId: "basic" } })).status).toBe(400);
    expect(
      (await calls()).filter((c) => c.operation === "activate").map((c) => [c.status, c.lostAnswer?.variant]),
    ).toEqual([
      [0, "lost-answer"],
      [200, undefined],
      [400, undefined],
    ]);

    await on();
    const { subscriptionId: other } = await buy(emu, { offerId: "contoso-analytics", planId: "basic" });
    expect((await emu.api("POST", `${subscriptionPath(other)}/activate`, { body: { planId: "basic" } })).status).toBe(
      200,
    );
  });
});

describe("activate-not-idempotent", () => {
  it("refuses a repeated Activate with 400, also while the activation is under way; off: 200 again", async () => {
    const { subscriptionId: id } = await buy(emu, { offerId: "contoso-analytics", planId: "basic" });
    await on("activate-not-idempotent");
    const activatePath = `${subscriptionPath(id)}/activate`;
    expect((await emu.api("POST", activatePath, { body: { planId: "basic" } })).status).toBe(200);
    const repeat = await emu.api("POST", activatePath, { body: { planId: "basic" } });
    expect(repeat.status).toBe(400);
    expect(repeat.json()).toEqual({
      error: { code: "BadRequest", message: `Subscription ${id} is already activated.` },
    });
    expect((await emu.api("GET", subscriptionPath(id))).json()).toMatchObject({ saasSubscriptionStatus: "Subscribed" });

    // A slow activation: PendingFulfillmentStart a while longer, but a repeat is already refused.
    await on("activate-not-idempotent", "slow-activation");
    const { subscriptionId: slow } = await buy(emu, { offerId: "contoso-analytics", planId: "basic" });
    expect((await emu.api("POST", `${subscriptionPath(slow)}/activate`, { body: { planId: "basic" } })).status).toBe(
      200,
    );
    expect((await emu.api("GET", subscriptionPath(slow))).json()).toMatchObject({
      saasSubscriptionStatus: "PendingFulfillmentStart",
    });
    expect((await emu.api("POST", `${subscriptionPath(slow)}/activate`, { body: { planId: "basic" } })).status).toBe(
      400,
    );

    await on();
    expect((await emu.api("POST", activatePath, { body: { planId: "basic" } })).status).toBe(200);
  });
});

describe("ack-answer-lost", () => {
  it("applies the first acknowledgement but drops its answer; a repeat gets 409; off: 200 again", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    await on("ack-answer-lost");
    const started = (
      await emu.request("POST", `/sandbox-api/subscriptions/${id}/actions`, {
        body: { action: "ChangeQuantity", quantity: 7 },
      })
    ).json<{ operationId: string }>();
    const ackPath = `${subscriptionPath(id)}/operations/${started.operationId}`;
    await expect(emu.api("PATCH", ackPath, { body: { status: "Success" } })).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    expect((await operations(id)).find((o) => o.id === started.operationId)).toMatchObject({
      status: "Succeeded",
      settledBy: "acknowledgement",
    });
    expect((await emu.api("GET", subscriptionPath(id))).json()).toMatchObject({ quantity: 7 });

    const repeat = await emu.api("PATCH", ackPath, { body: { status: "Success" } });
    expect(repeat.status).toBe(409);
    expect(repeat.json()).toEqual({
      error: {
        code: "Conflict",
        message: `Operation ${started.operationId} is already Succeeded; it can no longer be updated.`,
      },
    });
    expect((await calls()).filter((c) => c.method === "PATCH").map((c) => [c.status, c.lostAnswer?.variant])).toEqual([
      [0, "ack-answer-lost"],
      [409, undefined],
    ]);

    await on();
    const next = (
      await emu.request("POST", `/sandbox-api/subscriptions/${id}/actions`, {
        body: { action: "ChangeQuantity", quantity: 8 },
      })
    ).json<{ operationId: string }>();
    expect(
      (
        await emu.api("PATCH", `${subscriptionPath(id)}/operations/${next.operationId}`, {
          body: { status: "Success" },
        })
      ).status,
    ).toBe(200);
  });
});

describe("throttle-no-retry-after and html-errors: the gateway answers before the API", () => {
  const cid = (id: string) => ({ "x-ms-correlationid": id });

  it("throttles the first throttledTries tries of a call with 429 and no Retry-After, per correlation id; nothing is processed", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    await on("throttle-no-retry-after");
    await emu.request("POST", "/sandbox-api/settings", { body: { throttledTries: 2 } });
    try {
      const patch = (correlationId: string) =>
        emu.api("PATCH", subscriptionPath(id), { body: { quantity: 3 }, headers: cid(correlationId) });
      const first = await patch("11111111-0000-4000-8000-000000000001");
      expect(first.status).toBe(429);
      expect(first.headers["retry-after"]).toBeUndefined();
      expect(first.json()).toMatchObject({ error: { code: "TooManyRequests" } });
      expect(await operations(id)).toEqual([]);
      expect((await patch("11111111-0000-4000-8000-000000000001")).status).toBe(429);
      expect((await patch("11111111-0000-4000-8000-000000000001")).status).toBe(202);
      expect(await operations(id)).toHaveLength(1);
      // Another call (another correlation id) starts its own count.
      expect(
        (await emu.api("GET", subscriptionPath(id), { headers: cid("22222222-0000-4000-8000-000000000002") })).status,
      ).toBe(429);
      const logged = (await calls()).filter((c) => c.method === "PATCH");
      expect(logged.map((c) => [c.status, c.answeredBy])).toEqual([
        [429, "throttle-no-retry-after"],
        [429, "throttle-no-retry-after"],
        [202, undefined],
      ]);
    } finally {
      await emu.request("POST", "/sandbox-api/settings", { body: { throttledTries: 1 } });
    }
    await on();
    expect(
      (await emu.api("GET", subscriptionPath(id), { headers: cid("33333333-0000-4000-8000-000000000003") })).status,
    ).toBe(200);
  });

  it("answers the first try of a GET with a gateway's HTML 502, and every 5xx as HTML; POST/PATCH are not stopped", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    await on("html-errors");
    await emu.request("POST", "/sandbox-api/settings", { body: { gatewayErrorTries: 2 } });
    try {
      const get = () => emu.api("GET", subscriptionPath(id), { headers: cid("44444444-0000-4000-8000-000000000004") });
      const first = await get();
      expect(first.status).toBe(502);
      expect(first.headers["content-type"]).toBe("text/html");
      expect(first.text).toMatch(/^<!DOCTYPE html>[\s\S]*<title>502 Bad Gateway<\/title>/);
      expect((await get()).status).toBe(503);
      expect((await get()).status).toBe(200);
      // An injected 500 on a PATCH comes as HTML too.
      await emu.request("POST", "/sandbox-api/faults", { body: { method: "PATCH", status: 500 } });
      const failed = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 3 } });
      expect(failed.status).toBe(500);
      expect(failed.headers["content-type"]).toBe("text/html");
      expect(failed.text).toContain("<title>500 Internal Server Error</title>");
      // A 4xx keeps its JSON body.
      const refused = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 2 } });
      expect(refused.status).toBe(400);
      expect(refused.json()).toMatchObject({ error: { code: "BadRequest" } });
    } finally {
      await emu.request("POST", "/sandbox-api/settings", { body: { gatewayErrorTries: 1 } });
      await emu.request("DELETE", "/sandbox-api/faults");
    }
  });
});

describe("no-operation-location", () => {
  it("answers a PATCH/DELETE 202 without Operation-Location or Operation-Id; the operation exists as usual", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    await on("no-operation-location");
    const accepted = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 4 } });
    expect(accepted.status).toBe(202);
    expect(accepted.headers["operation-location"]).toBeUndefined();
    expect(accepted.headers["operation-id"]).toBeUndefined();
    const listed = await emu.api("GET", `${subscriptionPath(id)}/operations`);
    expect(listed.json<{ operations: Array<{ action: string }> }>().operations).toEqual([
      expect.objectContaining({ action: "ChangeQuantity" }),
    ]);
    await on();
    const other = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    expect((await emu.api("DELETE", subscriptionPath(other))).headers["operation-location"]).toMatch(/\/operations\//);
  });
});

describe("operation-statuses", () => {
  it("shows a publisher's change NotStarted, then InProgress; an injected failure ends Conflict", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
    await on("operation-statuses");
    await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: 1000 } });
    try {
      const accepted = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 4 } });
      const location = String(accepted.headers["operation-location"]);
      expect((await emu.api("GET", location)).json()).toMatchObject({ status: "NotStarted" });
      await waitFor(async () =>
        (await emu.api("GET", location)).json<{ status: string }>().status === "InProgress" ? true : undefined,
      );
      const [change] = await operations(id);
      await waitFor(async () => {
        const reply = await emu.api("PATCH", `${subscriptionPath(id)}/operations/${change!.id}`, {
          body: { status: "Success" },
        });
        return reply.status === 200 ? reply : undefined;
      });
      expect((await emu.api("GET", location)).json()).toMatchObject({ status: "Succeeded" });

      await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: 100, failNextOperations: 1 } });
      const failing = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 6 } });
      const failed = await waitFor(async () => {
        const operation = (await emu.api("GET", String(failing.headers["operation-location"]))).json<{
          status: string;
          errorStatusCode: string;
        }>();
        return operation.status === "NotStarted" || operation.status === "InProgress" ? undefined : operation;
      });
      expect(failed).toMatchObject({ status: "Conflict", errorStatusCode: "409" });
      expect((await emu.api("GET", subscriptionPath(id))).json()).toMatchObject({ quantity: 4 });
    } finally {
      await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: 100, failNextOperations: 0 } });
    }
  });
});

describe("mixed-usage-batch", () => {
  it("forces items 2, 3, 4 of every four, records only what it accepted, and answers in reverse order", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    await on("mixed-usage-batch");
    const hour = (h: number) => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - h * 3_600_000).toISOString();
    const request = [5, 4, 3, 2, 1].map((h) => ({
      resourceId: id,
      quantity: h,
      dimension: "reports",
      effectiveStartTime: hour(h),
      planId: "basic",
    }));
    const reply = await emu.api("POST", "/api/batchUsageEvent", { body: { request } });
    expect(reply.status).toBe(200);
    const result = reply.json<{ result: Array<{ status: string; quantity: number; error?: { code: string } }> }>()
      .result;
    expect(result.map((item) => [item.quantity, item.status])).toEqual([
      [1, "Accepted"],
      [2, "InvalidQuantity"],
      [3, "ResourceNotFound"],
      [4, "Expired"],
      [5, "Accepted"],
    ]);
    expect(result[1]!.error).toMatchObject({ code: "InvalidQuantity" });
    const ledger = (await emu.request("GET", `/sandbox-api/usage-events?subscriptionId=${id}`)).json<{
      events: Array<{ quantity: number }>;
    }>().events;
    expect(ledger.map((e) => e.quantity).sort()).toEqual([1, 5]);
  });
});

describe("pending-expiry", () => {
  it("ends a purchase left pending for pendingExpiryMs with a marketplace-side Unsubscribe and its webhook; not an activated one", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { pendingExpiryMs: 300 } });
    try {
      const { subscriptionId: pending } = await buy(emu, { offerId: "contoso-analytics", planId: "basic" });
      const active = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
      await new Promise((resolve) => setTimeout(resolve, 700));
      // Off: nothing happens.
      expect((await emu.api("GET", subscriptionPath(pending))).json()).toMatchObject({
        saasSubscriptionStatus: "PendingFulfillmentStart",
      });
      await on("pending-expiry");
      await waitFor(async () =>
        (await emu.api("GET", subscriptionPath(pending))).json<{ saasSubscriptionStatus: string }>()
          .saasSubscriptionStatus === "Unsubscribed"
          ? true
          : undefined,
      );
      const view = (await emu.request("GET", `/sandbox-api/subscriptions/${pending}`)).json<{
        operations: Array<{ action: string; operationRequestSource: string; status: string }>;
      }>();
      expect(view.operations).toEqual([
        expect.objectContaining({ action: "Unsubscribe", operationRequestSource: "Azure", status: "Succeeded" }),
      ]);
      await waitFor(async () =>
        emu.webhooks?.received.find((w) => w.body.subscriptionId === pending && w.body.action === "Unsubscribe"),
      );
      expect((await emu.api("GET", subscriptionPath(active))).json()).toMatchObject({
        saasSubscriptionStatus: "Subscribed",
      });
    } finally {
      await emu.request("POST", "/sandbox-api/settings", { body: { pendingExpiryMs: 120_000 } });
    }
  });
});
