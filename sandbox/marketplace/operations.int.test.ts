import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buy, buyActive, CARL, NINA, startEmulator, waitFor, type Reply, type RunningEmulator } from "./test-harness";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ settings: { operationDelayMs: 300 } });
});
afterAll(async () => {
  await emu.close();
});

interface Operation {
  id: string;
  action: string;
  status: string;
  planId: string;
  quantity?: number;
  subscriptionId: string;
  errorStatusCode: string;
  errorMessage: string;
}
interface Subscription {
  planId: string;
  quantity?: number;
  saasSubscriptionStatus: string;
  term: { termUnit: string };
}

const subscriptionPath = (id: string) => `/api/saas/subscriptions/${id}`;

async function getSubscription(id: string): Promise<Subscription> {
  return (await emu.api("GET", subscriptionPath(id))).json<Subscription>();
}

async function waitForOperation(location: string, status: string): Promise<Operation> {
  return waitFor(async () => {
    const op = (await emu.api("GET", location)).json<Operation>();
    return op.status === status ? op : undefined;
  });
}

function errorMessage(reply: Reply): string {
  return reply.json<{ error: { message: string } }>().error.message;
}

describe("PATCH subscription (marketplace-contract.md §6.6, §6.7)", () => {
  it("changes the plan asynchronously, one operation at a time", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const patch = await emu.api("PATCH", subscriptionPath(id), { body: { planId: "pro-seats" } });
    expect(patch.status).toBe(202);
    const location = String(patch.headers["operation-location"]);
    expect(location).toMatch(
      new RegExp(`^${emu.baseUrl}/api/saas/subscriptions/${id}/operations/[0-9a-f-]{36}\\?api-version=2018-08-31$`),
    );

    const pending = (await emu.api("GET", location)).json<Operation>();
    expect(pending).toMatchObject({
      action: "ChangePlan",
      status: "InProgress",
      planId: "pro-seats",
      quantity: 1,
      subscriptionId: id,
      errorStatusCode: "",
      errorMessage: "",
    });
    expect((await getSubscription(id)).planId).toBe("basic");

    const outstanding = await emu.api("GET", `${subscriptionPath(id)}/operations`);
    expect(outstanding.json<{ operations: Operation[] }>().operations.map((o) => o.id)).toEqual([pending.id]);

    const second = await emu.api("PATCH", subscriptionPath(id), { body: { planId: "enterprise-seats" } });
    expect(second.status).toBe(409);
    expect(errorMessage(second)).toMatch(/pending operation/);
    expect((await emu.api("DELETE", subscriptionPath(id))).status).toBe(409);

    await waitForOperation(location, "Succeeded");
    expect(await getSubscription(id)).toMatchObject({
      planId: "pro-seats",
      quantity: 1,
      saasSubscriptionStatus: "Subscribed",
    });
    expect((await emu.api("GET", `${subscriptionPath(id)}/operations`)).json()).toEqual({});
  });

  it("changes the quantity within the plan's range", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 5 });
    const outOfRange = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 101 } });
    expect(outOfRange.status).toBe(400);
    expect(errorMessage(outOfRange)).toMatch(/1–100/);
    expect((await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 5 } })).status).toBe(400);
    expect((await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 0 } })).status).toBe(400);

    const patch = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 20 } });
    expect(patch.status).toBe(202);
    const op = await waitForOperation(String(patch.headers["operation-location"]), "Succeeded");
    expect(op).toMatchObject({ action: "ChangeQuantity", quantity: 20 });
    expect((await getSubscription(id)).quantity).toBe(20);
  });

  it("answers 400 for invalid changes", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const cases: Array<[unknown, RegExp]> = [
      [{ planId: "basic" }, /already on plan/],
      [{ planId: "standard" }, /not a plan of offer/],
      [{ quantity: 3 }, /flat-rate/],
      [{ planId: "pro-seats", quantity: 3 }, /not both/],
      [{}, /planId or quantity/],
      [{ quantity: "3" }, /Invalid request body/],
    ];
    for (const [body, message] of cases) {
      const reply = await emu.api("PATCH", subscriptionPath(id), { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(errorMessage(reply)).toMatch(message);
    }
    expect((await emu.api("PATCH", subscriptionPath(id), { body: "{oops" })).status).toBe(400);
  });

  it("answers 400 for a subscription that is not Subscribed", async () => {
    const { subscriptionId } = await buy(emu, { offerId: "contoso-analytics", planId: "basic" });
    const reply = await emu.api("PATCH", subscriptionPath(subscriptionId), { body: { planId: "pro-seats" } });
    expect(reply.status).toBe(400);
    expect(errorMessage(reply)).toMatch(/PendingFulfillmentStart/);
  });

  it("moves seats into the new plan's range and restarts the term for another term length", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 3 });
    const patch = await emu.api("PATCH", subscriptionPath(id), { body: { planId: "enterprise-seats" } });
    await waitForOperation(String(patch.headers["operation-location"]), "Succeeded");
    expect(await getSubscription(id)).toMatchObject({
      planId: "enterprise-seats",
      quantity: 10,
      term: { termUnit: "P1Y" },
    });
  });
});

describe("CSP purchases (§12)", () => {
  it("are read-only for the ISV: PATCH and DELETE answer 400", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic", beneficiary: NINA, csp: true });
    const sub = (await emu.api("GET", subscriptionPath(id))).json<{
      allowedCustomerOperations: string[];
      sandboxType: string;
      purchaser: { tenantId: string; objectId: string };
      beneficiary: { tenantId: string };
    }>();
    expect(sub.allowedCustomerOperations).toEqual(["Read"]);
    expect(sub.sandboxType).toBe("Csp");
    expect(sub.purchaser).toMatchObject({ tenantId: CARL.tid, objectId: CARL.oid });
    expect(sub.beneficiary.tenantId).toBe(NINA.tid);

    const patch = await emu.api("PATCH", subscriptionPath(id), { body: { planId: "pro-seats" } });
    expect(patch.status).toBe(400);
    expect(errorMessage(patch)).toMatch(/Update/);
    const del = await emu.api("DELETE", subscriptionPath(id));
    expect(del.status).toBe(400);
    expect(errorMessage(del)).toMatch(/Delete/);
  });
});

describe("DELETE subscription (§6.8)", () => {
  it("unsubscribes through an operation", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const del = await emu.api("DELETE", subscriptionPath(id));
    expect(del.status).toBe(202);
    const location = String(del.headers["operation-location"]);
    expect((await emu.api("GET", location)).json<Operation>()).toMatchObject({
      action: "Unsubscribe",
      status: "InProgress",
    });
    await waitForOperation(location, "Succeeded");
    expect((await getSubscription(id)).saasSubscriptionStatus).toBe("Unsubscribed");

    expect((await emu.api("DELETE", subscriptionPath(id))).status).toBe(400);
    expect((await emu.api("POST", `${subscriptionPath(id)}/activate`, { body: { planId: "standard" } })).status).toBe(
      404,
    );
    // Resolve still works for Unsubscribed subscriptions (§6.1).
    const token = (await emu.request("POST", `/sandbox-api/subscriptions/${id}/token`, { body: {} })).json<{
      token: string;
    }>().token;
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(
      resolved.json<{ subscription: { saasSubscriptionStatus: string } }>().subscription.saasSubscriptionStatus,
    ).toBe("Unsubscribed");
  });
});

describe("operation acknowledgement (§7.3)", () => {
  it("Success completes at once; later updates get 409", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: 60_000 } });
    try {
      const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 2 });
      const patch = await emu.api("PATCH", subscriptionPath(id), { body: { quantity: 7 } });
      const location = String(patch.headers["operation-location"]);
      const ack = await emu.api("PATCH", location, { body: { status: "Success" } });
      expect(ack.status).toBe(200);
      expect((await emu.api("GET", location)).json<Operation>().status).toBe("Succeeded");
      expect((await getSubscription(id)).quantity).toBe(7);
      const late = await emu.api("PATCH", location, { body: { status: "Failure" } });
      expect(late.status).toBe(409);
    } finally {
      await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: 300 } });
    }
  });

  it("Failure fails the operation and keeps the old plan", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: 60_000 } });
    try {
      const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
      const patch = await emu.api("PATCH", subscriptionPath(id), { body: { planId: "pro-seats" } });
      const location = String(patch.headers["operation-location"]);
      expect((await emu.api("PATCH", location, { body: { status: "Maybe" } })).status).toBe(400);
      expect((await emu.api("PATCH", location, { body: "" })).status).toBe(400);
      expect((await emu.api("PATCH", location, { body: { status: "Failure" } })).status).toBe(200);
      const op = (await emu.api("GET", location)).json<Operation>();
      expect(op.status).toBe("Failed");
      expect(op.errorMessage).not.toBe("");
      expect((await getSubscription(id)).planId).toBe("basic");
    } finally {
      await emu.request("POST", "/sandbox-api/settings", { body: { operationDelayMs: 300 } });
    }
  });

  it("answers 404 for unknown operations", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const reply = await emu.api("GET", `${subscriptionPath(id)}/operations/00000000-0000-4000-8000-000000000000`);
    expect(reply.status).toBe(404);
  });

  it("fails operations on request (failNextOperations)", async () => {
    await emu.request("POST", "/sandbox-api/settings", { body: { failNextOperations: 1 } });
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    const patch = await emu.api("PATCH", subscriptionPath(id), { body: { planId: "pro-seats" } });
    const op = await waitForOperation(String(patch.headers["operation-location"]), "Failed");
    expect(op.errorStatusCode).toBe("500");
    expect((await getSubscription(id)).planId).toBe("basic");
    const settings = (await emu.request("POST", "/sandbox-api/settings", { body: {} })).json<{
      failNextOperations: number;
    }>();
    expect(settings.failNextOperations).toBe(0);
  });
});
