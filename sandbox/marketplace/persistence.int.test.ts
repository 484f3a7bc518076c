import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STATE_FILE_NAME } from "./store";
import { buy, buyActive, startEmulator, tempDataDir, waitFor } from "./test-harness";

describe("state across restarts", () => {
  it("keeps subscriptions, operations and purchase tokens, and resumes pending operations", async () => {
    const dataDir = tempDataDir();
    const first = await startEmulator({ dataDir, settings: { operationDelayMs: 800 } });
    const activeId = await buyActive(first, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 4 });
    const pending = await buy(first, { offerId: "contoso-backup", planId: "standard" });
    const patch = await first.api("PATCH", `/api/saas/subscriptions/${activeId}`, { body: { quantity: 9 } });
    expect(patch.status).toBe(202);
    const location = String(patch.headers["operation-location"]).replace(first.baseUrl, "");
    await first.close();

    const statePath = path.join(dataDir, STATE_FILE_NAME);
    const stateText = readFileSync(statePath, "utf8");
    expect(stateText).not.toContain(pending.token); // tokens are stored hashed
    expect(stateText).toContain('"status": "InProgress"'); // the PATCH was still pending at shutdown
    expect(readdirSync(dataDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const second = await startEmulator({ dataDir, settings: { operationDelayMs: 800 } });
    try {
      const resolved = await second.api("POST", "/api/saas/subscriptions/resolve", { headers: { "x-ms-marketplace-token": pending.token } });
      expect(resolved.status).toBe(200);
      expect(resolved.json<{ id: string }>().id).toBe(pending.subscriptionId);

      const op = await waitFor(async () => {
        const reply = (await second.api("GET", location)).json<{ status: string }>();
        return reply.status === "Succeeded" ? reply : undefined;
      });
      expect(op.status).toBe("Succeeded");
      const subscription = (await second.api("GET", `/api/saas/subscriptions/${activeId}`)).json<{ quantity: number; saasSubscriptionStatus: string }>();
      expect(subscription).toMatchObject({ quantity: 9, saasSubscriptionStatus: "Subscribed" });
    } finally {
      await second.close();
    }
  });

  it("sets a broken state file aside and starts empty", async () => {
    const dataDir = tempDataDir();
    writeFileSync(path.join(dataDir, STATE_FILE_NAME), "{ not json");
    const emu = await startEmulator({ dataDir });
    try {
      expect((await emu.api("GET", "/api/saas/subscriptions")).text).toBe("");
      expect(readdirSync(dataDir).some((f) => f.startsWith(`${STATE_FILE_NAME}.broken-`))).toBe(true);
      await buy(emu, { offerId: "contoso-backup", planId: "standard" });
      expect(existsSync(path.join(dataDir, STATE_FILE_NAME))).toBe(true);
    } finally {
      await emu.close();
    }
  });
});
