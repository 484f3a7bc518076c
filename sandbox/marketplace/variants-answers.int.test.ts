/**
 * Variants that change the Fulfillment API's answers (variants.ts): the control API that switches
 * them, and, for each one, the raw HTTP a client sees with it on, and the documented answer again
 * once it is off.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CallRecord } from "./call-log";
import { createMarketplaceEmulator } from "./index";
import { UNKNOWN_FIELDS } from "./variant-answers";
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
      "lost-answer",
      "ack-answer-lost",
      "delayed-apply",
      "reordered-webhooks",
      "subscribe-operation-unknown",
      "hourly-usage-events",
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

    expect((await variants("all")).json<VariantsView>().enabled).toHaveLength(11);
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
