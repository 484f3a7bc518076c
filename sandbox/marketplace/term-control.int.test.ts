/**
 * `POST /sandbox-api/subscriptions/{id}/term` (term-control.ts): terms as Microsoft might report
 * them, undocumented units included (marketplace-contract.md §5.3, §15.12), through the typed
 * client of tests/support/sandbox-control.ts. Nothing in the sandbox may break on them.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awayFromHourBoundary } from "../../tests/support/clock";
import { sandboxControl } from "../../tests/support/sandbox-control";
import { ALICE, buy, buyActive, startEmulator, type RunningEmulator } from "./test-harness";

let emu: RunningEmulator;
let control: ReturnType<typeof sandboxControl>;

beforeAll(async () => {
  emu = await startEmulator();
  control = sandboxControl(emu.baseUrl, { caPath: path.join(emu.dataDir, "tls", "ca.pem") });
});
afterAll(async () => {
  await emu.close();
});

interface Term {
  termUnit: string;
  startDate?: string;
  endDate?: string;
  chargeDuration: string | null;
}

async function apiTerm(id: string): Promise<Term> {
  const reply = await emu.api("GET", `/api/saas/subscriptions/${id}`);
  expect(reply.status).toBe(200);
  return reply.json<{ term: Term }>().term;
}

function todayUtc(): string {
  return `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
}

describe("an undocumented term unit (PAY)", () => {
  it("is reported as it is by Get Subscription, Resolve and List, and activation still works", async () => {
    const { subscriptionId, token } = await buy(emu, { offerId: "contoso-analytics", planId: "basic" });
    const set = await control.setTerm(subscriptionId, { termUnit: "PAY" });
    expect(set.term).toEqual({ termUnit: "PAY", chargeDuration: null });

    expect(await apiTerm(subscriptionId)).toEqual({ termUnit: "PAY", chargeDuration: null });
    const resolved = await emu.api("POST", "/api/saas/subscriptions/resolve", {
      headers: { "x-ms-marketplace-token": token },
    });
    expect(resolved.json<{ subscription: { term: Term } }>().subscription.term.termUnit).toBe("PAY");
    const list = await emu.api("GET", "/api/saas/subscriptions");
    const listed = list.json<{ subscriptions: Array<{ id: string; term: Term }> }>().subscriptions;
    expect(listed.find((s) => s.id === subscriptionId)?.term.termUnit).toBe("PAY");

    // Activate starts the term; a unit without a known length gets no end date of the sandbox's own.
    const activated = await emu.api("POST", `/api/saas/subscriptions/${subscriptionId}/activate`, {
      body: { planId: "basic" },
    });
    expect(activated.status).toBe(200);
    expect(await apiTerm(subscriptionId)).toEqual({ termUnit: "PAY", startDate: todayUtc(), chargeDuration: null });

    // Pages show it as it is.
    const page = await emu.request("GET", `/marketplace/subscriptions/${subscriptionId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`from ${todayUtc().slice(0, 10)}, no end date (PAY)`);
    expect((await emu.request("GET", "/")).status).toBe(200);
  });

  it("renews for as long as the current term, and says clearly when it cannot", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    await control.setTerm(id, { termUnit: "PAY", startDate: "2026-05-01", endDate: "2026-05-10" });
    expect(await apiTerm(id)).toEqual({
      termUnit: "PAY",
      startDate: "2026-05-01",
      endDate: "2026-05-10",
      chargeDuration: null,
    });
    const renewed = await control.act(id, "Renew");
    expect(renewed.status).toBe("Succeeded");
    expect(await apiTerm(id)).toEqual({
      termUnit: "PAY",
      startDate: "2026-05-11T00:00:00Z",
      endDate: "2026-05-20T00:00:00Z",
      chargeDuration: null,
    });
    // The Renew webhook carries the renewed term, unit as it is.
    const [webhook] = (await emu.webhooks?.waitForOperation(renewed.operationId)) ?? [];
    expect(webhook?.body).toMatchObject({
      action: "Renew",
      subscription: { term: { termUnit: "PAY", startDate: "2026-05-11T00:00:00Z", endDate: "2026-05-20T00:00:00Z" } },
    });

    // Without a start date the length is unknown: a 400 that says what to do, and nothing changes.
    await control.setTerm(id, { startDate: null });
    const refused = await emu.request("POST", `/sandbox-api/subscriptions/${id}/actions`, {
      body: { action: "Renew" },
    });
    expect(refused.status).toBe(400);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(
      /term unit "PAY" has no known length.*set startDate/,
    );
    expect(await apiTerm(id)).toEqual({ termUnit: "PAY", endDate: "2026-05-20T00:00:00Z", chargeDuration: null });
  });

  it("is replaced by the new plan's term on a plan change, and metering does not mind it", async () => {
    const id = await buyActive(emu, { offerId: "contoso-analytics", planId: "basic" });
    await control.setTerm(id, { termUnit: "PAY", chargeDuration: "PAY" });

    await awayFromHourBoundary();
    const usage = await emu.api("POST", "/api/usageEvent", {
      body: {
        resourceId: id,
        quantity: 2,
        dimension: "reports",
        effectiveStartTime: new Date().toISOString(),
        planId: "basic",
      },
    });
    expect(usage.status).toBe(200);
    expect(usage.json()).toMatchObject({ status: "Accepted" });

    const change = await control.act(id, "ChangePlan", { planId: "enterprise-seats", quantity: 10 });
    expect(change.status).toBe("InProgress");
    const settled = await emu.api("PATCH", `/api/saas/subscriptions/${id}/operations/${change.operationId}`, {
      body: { status: "Success" },
    });
    expect(settled.status).toBe(200);
    const term = await apiTerm(id);
    expect(term).toMatchObject({ termUnit: "P1Y", startDate: todayUtc(), chargeDuration: null });
    expect(term.endDate).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
  });
});

describe("chargeDuration and other units", () => {
  it("sets and clears chargeDuration, and takes P4Y/P5Y", async () => {
    const id = await buyActive(emu, { offerId: "contoso-backup", planId: "standard" });
    const before = await apiTerm(id);
    expect(before.chargeDuration).toBeNull();
    const set = await control.setTerm(id, { termUnit: "P5Y", chargeDuration: "P1M" });
    expect(set.term).toEqual({ ...before, termUnit: "P5Y", chargeDuration: "P1M" });
    expect(await apiTerm(id)).toEqual({ ...before, termUnit: "P5Y", chargeDuration: "P1M" });
    await control.setTerm(id, { chargeDuration: null });
    expect((await apiTerm(id)).chargeDuration).toBeNull();

    // A P4Y term renews by four years from the day after it ends.
    await control.setTerm(id, { termUnit: "P4Y", startDate: "2026-01-01T00:00:00Z", endDate: "2029-12-31T00:00:00Z" });
    await control.act(id, "Renew");
    expect(await apiTerm(id)).toMatchObject({ startDate: "2030-01-01T00:00:00Z", endDate: "2033-12-31T00:00:00Z" });
  });

  it("survives a restart", async () => {
    const { subscriptionId } = await buy(emu, { offerId: "contoso-backup", planId: "premium", beneficiary: ALICE });
    await control.setTerm(subscriptionId, { termUnit: "PAY", chargeDuration: "P1W", endDate: "2026-12-31" });
    const again = await startEmulator({ dataDir: emu.dataDir });
    try {
      const reply = await again.api("GET", `/api/saas/subscriptions/${subscriptionId}`);
      expect(reply.json<{ term: Term }>().term).toEqual({
        termUnit: "PAY",
        endDate: "2026-12-31",
        chargeDuration: "P1W",
      });
    } finally {
      await again.close();
    }
  });
});

describe("bad input", () => {
  it("is refused with the reason, and changes nothing", async () => {
    const { subscriptionId } = await buy(emu, { offerId: "contoso-backup", planId: "standard" });
    await control.setTerm(subscriptionId, { startDate: "2026-05-01", endDate: "2026-05-31" });
    const before = await apiTerm(subscriptionId);
    const cases: Array<[unknown, RegExp]> = [
      [{}, /at least one of termUnit, chargeDuration, startDate, endDate/],
      [{ unit: "P1M" }, /unit/],
      [{ termUnit: "" }, /termUnit/],
      [{ termUnit: 12 }, /termUnit/],
      [{ startDate: "tomorrow" }, /must be a date/],
      [{ endDate: "2026-02-30" }, /endDate/],
      [{ endDate: "2026-04-01" }, /would end \(2026-04-01\) before it starts \(2026-05-01\)/],
      [{ termUnit: "PAY", startDate: "2026-06-01" }, /would end \(2026-05-31\) before it starts \(2026-06-01\)/],
    ];
    for (const [body, reason] of cases) {
      const reply = await emu.request("POST", `/sandbox-api/subscriptions/${subscriptionId}/term`, { body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json<{ error: { message: string } }>().error.message).toMatch(reason);
    }
    expect(await apiTerm(subscriptionId)).toEqual(before);
    const unknown = await emu.request("POST", "/sandbox-api/subscriptions/00000000-0000-4000-8000-000000000000/term", {
      body: { termUnit: "P1M" },
    });
    expect(unknown.status).toBe(404);
    await expect(control.setTerm(subscriptionId, { startDate: "soon" })).rejects.toThrow(/400/);
  });
});
