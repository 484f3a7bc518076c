/**
 * The whole webhook suite (webhook-flow.int.test.ts) once more, with Microsoft signing v2 access
 * tokens (sandbox variant v2-webhook-tokens: issuer …/{tenant}/v2.0, the marketplace app in `azp`;
 * marketplace-contract.md §8.4, §15.28): every action, retry and refusal behaves the same, and every
 * delivery is verified as a v2 token.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { sandboxControl } from "@/tests/support/sandbox-control";
// Registers the suite's hooks and tests in this file; the hooks below run after its own.
import "./webhook-flow.int.test";

const sandbox = sandboxControl();
const started = new Date();

beforeAll(async () => {
  await sandbox.variants(["v2-webhook-tokens"]);
});
afterAll(async () => {
  await sandbox.variants([]);
});

describe("with v2 webhook tokens", () => {
  it("verified every delivery of this run as a v2 token of the marketplace app", async () => {
    const received = await db().webhookEvent.findMany({ where: { receivedAt: { gte: started } } });
    expect(received.length).toBeGreaterThan(5);
    const versions = new Set(received.map((event) => (event.verification as { version?: string } | null)?.version));
    expect([...versions]).toEqual(["2.0"]);
    for (const event of received)
      expect(event.verification).toMatchObject({ caller: "20e940b3-4c77-4b0b-9a53-9e16a1b010a7" });
  });
});
