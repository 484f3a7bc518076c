import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideByRules, decideChange, type ChangeRequest } from "./publisher-policy";

const change = (overrides: Partial<ChangeRequest> = {}): ChangeRequest => ({
  subscriptionId: "s",
  action: "ChangePlan",
  currentPlanId: "pro-seats",
  currentQuantity: 5,
  planId: "enterprise-seats",
  quantity: 10,
  ...overrides,
});
const defaults = { hookTimeoutMs: 200, onHookFailure: "accept" as const };

describe("decideByRules", () => {
  it("accepts anything when no rule is configured", () => {
    expect(decideByRules({}, change())).toMatchObject({ accept: true });
  });

  it("refuses a plan move that is not in the allowed list, and accepts one that is", () => {
    const policy = { allowedPlanMoves: { "pro-seats": ["basic"] } };
    expect(decideByRules(policy, change())).toEqual({
      accept: false,
      reason: "Moving from plan pro-seats to enterprise-seats is not offered by the publisher.",
      refused: { rule: "plan-move", from: "pro-seats", to: "enterprise-seats" },
    });
    expect(decideByRules(policy, change({ planId: "basic", quantity: null }))).toMatchObject({ accept: true });
    expect(decideByRules(policy, change({ currentPlanId: "basic" }))).toMatchObject({ accept: true });
  });

  it("enforces seat limits per target plan, boundaries included", () => {
    const policy = { seatLimits: { "pro-seats": { min: 3, max: 50 } } };
    const seats = (quantity: number) =>
      decideByRules(policy, change({ action: "ChangeQuantity", planId: "pro-seats", quantity }));
    expect(seats(2)).toMatchObject({
      accept: false,
      reason: expect.stringContaining("at least 3"),
      refused: { rule: "seats-minimum", planId: "pro-seats", limit: 3 },
    });
    expect(seats(3).accept).toBe(true);
    expect(seats(50).accept).toBe(true);
    expect(seats(51)).toMatchObject({
      accept: false,
      reason: expect.stringContaining("at most 50"),
      refused: { rule: "seats-maximum", planId: "pro-seats", limit: 50 },
    });
  });
});

describe("decideChange with the product's hook", () => {
  let server: Server;
  let url: string;
  let answer: (body: ChangeRequest) => { status: number; body: unknown; delayMs?: number };
  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      req.on("end", () => {
        const reply = answer(JSON.parse(text) as ChangeRequest);
        setTimeout(() => {
          res.writeHead(reply.status, { "content-type": "application/json" });
          res.end(JSON.stringify(reply.body));
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it("passes the change to the hook and follows its answer", async () => {
    answer = (body) => ({
      status: 200,
      body:
        body.quantity && body.quantity > 20
          ? { accept: false, reason: "Contact sales above 20 seats" }
          : { accept: true },
    });
    expect(await decideChange({ ...defaults, hookUrl: url }, change({ quantity: 10 }))).toMatchObject({ accept: true });
    expect(await decideChange({ ...defaults, hookUrl: url }, change({ quantity: 30 }))).toEqual({
      accept: false,
      reason: "Contact sales above 20 seats",
    });
  });

  it("does not ask the hook when the rules already refuse", async () => {
    let asked = false;
    answer = () => {
      asked = true;
      return { status: 200, body: { accept: true } };
    };
    const result = await decideChange({ ...defaults, hookUrl: url, allowedPlanMoves: { "pro-seats": [] } }, change());
    expect(result.accept).toBe(false);
    expect(asked).toBe(false);
  });

  it("falls back to the configured default when the hook is slow, broken or answers nonsense", async () => {
    answer = () => ({ status: 200, body: { accept: true }, delayMs: 500 });
    expect(await decideChange({ ...defaults, hookUrl: url }, change())).toMatchObject({
      accept: true,
      reason: expect.stringContaining("accepted by default"),
    });
    expect(await decideChange({ ...defaults, onHookFailure: "refuse", hookUrl: url }, change())).toMatchObject({
      accept: false,
      reason: expect.stringContaining("refused by policy"),
    });
    answer = () => ({ status: 500, body: {} });
    expect((await decideChange({ ...defaults, onHookFailure: "refuse", hookUrl: url }, change())).accept).toBe(false);
    answer = () => ({ status: 200, body: { accept: "yes" } });
    expect((await decideChange({ ...defaults, onHookFailure: "refuse", hookUrl: url }, change())).accept).toBe(false);
  });
});
