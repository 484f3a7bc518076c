/**
 * The `/api` call log (`GET /sandbox-api/calls`): every call names its operation and the
 * subscription in its path, whatever answered it, and the log filters by time, operation and
 * subscription, so a test can prove a call was not made. Read through tests/support/sandbox-control.ts.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxControl } from "../../tests/support/sandbox-control";
import { buy, startEmulator, type RunningEmulator } from "./test-harness";

let emu: RunningEmulator;
let control: ReturnType<typeof sandboxControl>;

beforeAll(async () => {
  emu = await startEmulator();
  control = sandboxControl(emu.baseUrl, { caPath: path.join(emu.dataDir, "tls", "ca.pem") });
});
afterAll(async () => {
  await emu.close();
});

describe("call log", () => {
  it("names the operation and subscription of every call, faults and refusals included", async () => {
    const auto = await control.purchase({
      offerId: "contoso-backup",
      planId: "standard-auto",
      beneficiary: { tid: "22222222-2222-4222-8222-222222222222", oid: "b2000000-0000-4000-8000-000000000001" },
    });
    const classic = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    const since = new Date();
    const sub = (id: string) => `/api/saas/subscriptions/${id}`;

    await emu.api("POST", "/api/saas/subscriptions/resolve", { headers: { "x-ms-marketplace-token": auto.token } });
    await emu.api("GET", sub(auto.subscriptionId));
    await emu.api("GET", `${sub(auto.subscriptionId)}/operations`);
    await emu.api("GET", `${sub(auto.subscriptionId)}/operations/${auto.subscribeOperationId}`);
    await emu.api("PATCH", `${sub(auto.subscriptionId)}/operations/${auto.subscribeOperationId}`, {
      body: { status: "Success" },
    });
    await emu.api("GET", `${sub(auto.subscriptionId)}/listAvailablePlans`);
    await control.addFault({ pathPattern: "/activate$", status: 503, times: 1 });
    await emu.api("POST", `${sub(classic.subscriptionId)}/activate`, { body: { planId: "standard" } });
    await emu.api("POST", `${sub(classic.subscriptionId.toUpperCase())}/activate`, { body: { planId: "standard" } });
    await emu.api("GET", sub(classic.subscriptionId), { token: null });
    await emu.api("GET", "/api/saas/subscriptions/");
    await emu.api("DELETE", sub(classic.subscriptionId));
    await emu.api("GET", "/api/usageEvents?usageStartDate=2026-01-01");
    await emu.api("PUT", sub(classic.subscriptionId));
    await emu.api("GET", "/api/nothing-here");

    const calls = await control.calls(since);
    expect(calls.map((c) => [c.operation, c.subscriptionId, c.status])).toEqual([
      ["resolve", null, 200],
      ["getSubscription", auto.subscriptionId, 200],
      ["listOperations", auto.subscriptionId, 200],
      ["getOperation", auto.subscriptionId, 200],
      ["updateOperation", auto.subscriptionId, 409],
      ["listAvailablePlans", auto.subscriptionId, 200],
      // Answered by an injected fault, yet an Activate call all the same.
      ["activate", classic.subscriptionId, 503],
      // The path's id in upper case is logged in lower case, as the API compares ids.
      ["activate", classic.subscriptionId, 200],
      // Refused for its missing token: still a call of that operation.
      ["getSubscription", classic.subscriptionId, 403],
      ["listSubscriptions", null, 200],
      ["deleteSubscription", classic.subscriptionId, 202],
      ["usageEvents", null, 200],
      [null, null, 405],
      [null, null, 404],
    ]);
    expect(calls[6]?.faultId).toBeDefined();
  });

  it("filters by operation and subscription, so a test can prove no Activate call was made", async () => {
    const auto = await control.purchase({
      offerId: "contoso-backup",
      planId: "team-auto",
      quantity: 2,
      beneficiary: { tid: "22222222-2222-4222-8222-222222222222", oid: "b2000000-0000-4000-8000-000000000001" },
    });
    const classic = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    const since = new Date();
    await emu.api("GET", `/api/saas/subscriptions/${auto.subscriptionId}`);
    await emu.api("POST", `/api/saas/subscriptions/${classic.subscriptionId}/activate`, {
      body: { planId: "standard" },
    });
    await emu.api("GET", `/api/saas/subscriptions/${classic.subscriptionId}`);

    expect(await control.calls({ since, operation: "activate", subscriptionId: auto.subscriptionId })).toEqual([]);
    const activations = await control.calls({ since, operation: "activate" });
    expect(activations.map((c) => c.subscriptionId)).toEqual([classic.subscriptionId]);
    // Subscription ids match whatever their case.
    const ofClassic = await control.calls({ since, subscriptionId: classic.subscriptionId.toUpperCase() });
    expect(ofClassic.map((c) => c.operation)).toEqual(["activate", "getSubscription"]);
    expect((await control.calls({ subscriptionId: auto.subscriptionId })).map((c) => c.operation)).toEqual([
      "getSubscription",
    ]);
    // `since` is inclusive and later than every call: nothing.
    expect(await control.calls({ since: new Date(Date.now() + 60_000) })).toEqual([]);
  });

  it("refuses a filter it does not know rather than ignoring it", async () => {
    const unknownOperation = await emu.request("GET", "/sandbox-api/calls?operation=Activate");
    expect(unknownOperation.status).toBe(400);
    expect(unknownOperation.json<{ error: { message: string } }>().error.message).toMatch(
      /operation must be one of resolve, listSubscriptions, .*activate.*usageEvents/,
    );
    const typo = await emu.request("GET", "/sandbox-api/calls?subscription=abc");
    expect(typo.status).toBe(400);
    expect(typo.json<{ error: { message: string } }>().error.message).toMatch(/subscription/);
    expect((await emu.request("GET", "/sandbox-api/calls?since=yesterday")).status).toBe(400);
    expect((await emu.request("GET", "/sandbox-api/calls?subscriptionId=")).status).toBe(400);
  });
});
