import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { STATE_FILE_NAME } from "./store";
import {
  buy,
  buyActive,
  startEmulator,
  startWebhookSink,
  tempDataDir,
  waitFor,
  type RunningEmulator,
} from "./test-harness";

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
    expect(
      (JSON.parse(stateText) as { operations: Array<{ status: string }> }).operations.map(
        (operation) => operation.status,
      ),
    ).toContain("InProgress"); // the PATCH was still pending at shutdown
    expect(readdirSync(dataDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const second = await startEmulator({ dataDir, settings: { operationDelayMs: 800 } });
    try {
      const resolved = await second.api("POST", "/api/saas/subscriptions/resolve", {
        headers: { "x-ms-marketplace-token": pending.token },
      });
      expect(resolved.status).toBe(200);
      expect(resolved.json<{ id: string }>().id).toBe(pending.subscriptionId);

      const op = await waitFor(async () => {
        const reply = (await second.api("GET", location)).json<{ status: string }>();
        return reply.status === "Succeeded" ? reply : undefined;
      });
      expect(op.status).toBe("Succeeded");
      const subscription = (await second.api("GET", `/api/saas/subscriptions/${activeId}`)).json<{
        quantity: number;
        saasSubscriptionStatus: string;
      }>();
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

interface DeliveryView {
  id: string;
  outcome: string;
  delivered: boolean;
  attempts: Array<{ status?: number }>;
  acknowledgement?: { autoAccepted?: boolean };
}
interface OperationView {
  id: string;
  status: string;
  settledBy: string | null;
  phase: string | null;
}

async function operationOf(
  emu: RunningEmulator,
  subscriptionId: string,
  operationId: string,
): Promise<OperationView | undefined> {
  const reply = await emu.request("GET", `/sandbox-api/subscriptions/${subscriptionId}`);
  return reply.json<{ operations: OperationView[] }>().operations.find((o) => o.id === operationId);
}

async function deliveryOf(emu: RunningEmulator, operationId: string): Promise<DeliveryView | undefined> {
  return (await emu.request("GET", `/sandbox-api/webhooks?operationId=${operationId}`)).json<{
    deliveries: DeliveryView[];
  }>().deliveries[0];
}

describe("webhooks across restarts", () => {
  it("resumes an undelivered webhook and the ACK window", async () => {
    const dataDir = tempDataDir();
    const sink = await startWebhookSink();
    const settings = { ackTimeoutMs: 3000, webhookBackoffMs: 400, webhookMaxAttempts: 5 };
    sink.respond(() => 503);
    const first = await startEmulator({ dataDir, webhookUrl: sink.url, settings });
    let subscriptionId = "";
    let operationId = "";
    try {
      subscriptionId = await buyActive(first, { offerId: "contoso-analytics", planId: "pro-seats", quantity: 3 });
      const started = await first.request("POST", `/sandbox-api/subscriptions/${subscriptionId}/actions`, {
        body: { action: "ChangeQuantity", quantity: 9 },
      });
      expect(started.status).toBe(201);
      operationId = started.json<{ operationId: string }>().operationId;
      await waitFor(async () => ((await deliveryOf(first, operationId))?.attempts.length === 1 ? true : undefined));
    } finally {
      await first.close();
    }

    const saved = JSON.parse(readFileSync(path.join(dataDir, STATE_FILE_NAME), "utf8")) as {
      deliveries: Array<{ operationId: string; outcome: string; nextAttemptAt?: string }>;
      operations: Array<{ id: string; phase?: string; ackDueAt?: string }>;
    };
    expect(saved.deliveries.find((d) => d.operationId === operationId)).toMatchObject({
      outcome: "pending",
      nextAttemptAt: expect.any(String),
    });
    expect(saved.operations.find((o) => o.id === operationId)).toMatchObject({
      phase: "awaitingAck",
      ackDueAt: expect.any(String),
    });

    sink.respond(() => 200);
    const second = await startEmulator({ dataDir, webhookUrl: sink.url, settings });
    try {
      // The window is still open after the restart: the ISV can still acknowledge.
      expect((await operationOf(second, subscriptionId, operationId))?.status).toBe("InProgress");
      const delivery = await waitFor(async () => {
        const d = await deliveryOf(second, operationId);
        return d?.delivered ? d : undefined;
      });
      expect(delivery.attempts.map((a) => a.status)).toEqual([503, 200]);
      expect(sink.forOperation(operationId)).toHaveLength(2);
      const operation = await waitFor(async () => {
        const o = await operationOf(second, subscriptionId, operationId);
        return o?.status === "Succeeded" ? o : undefined;
      });
      expect(operation.settledBy).toBe("autoAccept");
      const subscription = (await second.api("GET", `/api/saas/subscriptions/${subscriptionId}`)).json<{
        quantity: number;
      }>();
      expect(subscription.quantity).toBe(9);
    } finally {
      await second.close();
      await sink.close();
    }
  });

  it("auto-accepts at once when the ACK window ended while the sandbox was down", async () => {
    const dataDir = tempDataDir();
    const sink = await startWebhookSink();
    const first = await startEmulator({ dataDir, webhookUrl: sink.url, settings: { ackTimeoutMs: 400 } });
    let subscriptionId = "";
    let operationId = "";
    try {
      subscriptionId = await buyActive(first, { offerId: "contoso-analytics", planId: "basic" });
      const started = await first.request("POST", `/sandbox-api/subscriptions/${subscriptionId}/actions`, {
        body: { action: "ChangePlan", planId: "pro-seats" },
      });
      operationId = started.json<{ operationId: string }>().operationId;
    } finally {
      await first.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await startEmulator({ dataDir, webhookUrl: sink.url, settings: { ackTimeoutMs: 400 } });
    try {
      const operation = await waitFor(async () => {
        const o = await operationOf(second, subscriptionId, operationId);
        return o?.status === "Succeeded" ? o : undefined;
      }, 1000);
      expect(operation.settledBy).toBe("autoAccept");
      expect(
        (await second.api("GET", `/api/saas/subscriptions/${subscriptionId}`)).json<{ planId: string }>().planId,
      ).toBe("pro-seats");
    } finally {
      await second.close();
      await sink.close();
    }
  });
});
