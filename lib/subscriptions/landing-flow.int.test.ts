/**
 * Landing page → activation against the running sandbox over HTTP and a real database
 * (PostgreSQL, or embedded PGlite with TEST_DATABASE=embedded).
 */
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { db, disconnectDatabase } from "@/lib/db";
import { jobsOf, startJobs as startJobWorkers } from "@/tests/support/jobs";
import { until } from "@/tests/support/until";
import { sandboxControl } from "@/tests/support/sandbox-control";
import { seeded } from "@/tests/support/sandbox-env";
import { followActivation, followActivationJob } from "@/lib/operations/follow-activation";
import { activateSubscription } from "./activate-subscription";
import { resolvePurchase } from "./resolve-purchase";

const sandbox = sandboxControl();
const alice = { ...seeded.alice, roles: [] };
const nina = { ...seeded.nina, roles: [] };
const carl = { ...seeded.carl, roles: [] };
const config = {
  companyName: "Fabrikam, Inc.",
  contactName: "Alice Admin",
  contactEmail: "alice@fabrikam.example",
  acceptTerms: "on" as const,
};

const buySeats = (overrides: Partial<Parameters<typeof sandbox.purchase>[0]> = {}) =>
  sandbox.purchase({
    offerId: "contoso-analytics",
    planId: "pro-seats",
    quantity: 5,
    beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
    ...overrides,
  });

const auditActions = async (subscriptionId: string) =>
  (await db().auditEvent.findMany({ where: { subscriptionId }, orderBy: { id: "asc" } })).map((event) => event.action);

afterEach(async () => {
  await sandbox.clearFaults();
});
afterAll(async () => {
  await disconnectDatabase();
});

describe("resolve", () => {
  it("resolves a token with + / = characters and records the pending subscription with every field", async () => {
    const purchase = await buySeats({ isTest: true, name: "Fabrikam analytics" });
    expect(purchase.token).toMatch(/[+/=]/);
    const view = await resolvePurchase({ token: purchase.token, actor: alice });
    expect(view).toMatchObject({
      subscriptionId: purchase.subscriptionId,
      status: "PendingFulfillmentStart",
      offerId: "contoso-analytics",
      quantity: 5,
      plan: {
        id: "pro-seats",
        name: "Professional (per user)",
        isPricePerSeat: true,
        minQuantity: 1,
        maxQuantity: 100,
      },
      isTest: true,
      isFreeTrial: false,
      isCsp: false,
      beneficiary: { email: "alice@fabrikam.example", tenantId: seeded.alice.tid },
    });
    const row = await db().subscription.findUniqueOrThrow({ where: { id: purchase.subscriptionId } });
    expect(row).toMatchObject({
      status: "PendingFulfillmentStart",
      planId: "pro-seats",
      quantity: 5,
      beneficiaryObjectId: seeded.alice.oid,
      purchaserObjectId: seeded.alice.oid,
      autoRenew: true,
    });
    expect(row.allowedCustomerOperations).toEqual(expect.arrayContaining(["Read", "Update", "Delete"]));
    expect(await auditActions(purchase.subscriptionId)).toEqual(["subscription_recorded"]);
  });

  it("refuses unknown, tampered and expired tokens with token_invalid and writes nothing", async () => {
    await expect(resolvePurchase({ token: "bm90LWEtcmVhbC10b2tlbg==", actor: alice })).rejects.toMatchObject({
      code: "token_invalid",
    });
    const purchase = await buySeats();
    const tampered = purchase.token.slice(0, -3) + (purchase.token.endsWith("A==") ? "B==" : "A==");
    await expect(resolvePurchase({ token: tampered, actor: alice })).rejects.toMatchObject({ code: "token_invalid" });
    await expect(resolvePurchase({ token: purchase.token.slice(0, 20), actor: alice })).rejects.toMatchObject({
      code: "token_invalid",
    });
    const expired = await buySeats({ tokenTtlSeconds: 0 });
    await expect(resolvePurchase({ token: expired.token, actor: alice })).rejects.toMatchObject({
      code: "token_invalid",
    });
    expect(
      await db().subscription.count({ where: { id: { in: [purchase.subscriptionId, expired.subscriptionId] } } }),
    ).toBe(0);
  });

  it("refuses a signed-in user of another tenant and writes nothing", async () => {
    const purchase = await buySeats();
    await expect(resolvePurchase({ token: purchase.token, actor: nina })).rejects.toMatchObject({ code: "not_owner" });
    expect(await db().subscription.findUnique({ where: { id: purchase.subscriptionId } })).toBeNull();
  });

  it("shows the free-trial flag of a trial purchase", async () => {
    const purchase = await sandbox.purchase({
      offerId: "contoso-analytics",
      planId: "basic",
      beneficiary: { tid: seeded.alice.tid, oid: seeded.alice.oid },
      isFreeTrial: true,
    });
    await expect(resolvePurchase({ token: purchase.token, actor: alice })).resolves.toMatchObject({
      isFreeTrial: true,
      quantity: null,
      plan: { name: "Basic", isPricePerSeat: false },
    });
  });

  it("lets both the CSP purchaser and the beneficiary resolve a CSP purchase", async () => {
    const purchase = await buySeats({ csp: true, purchaser: { tid: seeded.carl.tid, oid: seeded.carl.oid } });
    const asPartner = await resolvePurchase({ token: purchase.token, actor: carl });
    expect(asPartner).toMatchObject({
      isCsp: true,
      purchaser: { tenantId: seeded.cspTenant },
      beneficiary: { tenantId: seeded.fabrikam },
    });
    await expect(resolvePurchase({ token: purchase.token, actor: alice })).resolves.toMatchObject({
      subscriptionId: purchase.subscriptionId,
    });
    const row = await db().subscription.findUniqueOrThrow({ where: { id: purchase.subscriptionId } });
    expect(row.allowedCustomerOperations).toEqual(["Read"]);
  });

  it("explains a marketplace outage instead of failing obscurely, then works on retry", async () => {
    const purchase = await buySeats();
    await sandbox.addFault({ pathPattern: "/resolve", status: 503, times: 10 });
    await expect(resolvePurchase({ token: purchase.token, actor: alice })).rejects.toMatchObject({
      code: "marketplace_unavailable",
    });
    await sandbox.clearFaults();
    await expect(resolvePurchase({ token: purchase.token, actor: alice })).resolves.toMatchObject({
      status: "PendingFulfillmentStart",
    });
  });

  it("never writes the purchase token or an access token to the logs, also when Microsoft fails", async () => {
    const purchase = await buySeats();
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    const spies = [
      vi.spyOn(console, "error").mockImplementation(capture),
      vi.spyOn(console, "warn").mockImplementation(capture),
      vi.spyOn(console, "log").mockImplementation(capture),
    ];
    try {
      await sandbox.addFault({ pathPattern: "/resolve", status: 503, times: 10 });
      await expect(resolvePurchase({ token: purchase.token, actor: alice })).rejects.toMatchObject({
        code: "marketplace_unavailable",
      });
      await sandbox.clearFaults();
      await resolvePurchase({ token: purchase.token, actor: alice });
      await sandbox.addFault({ pathPattern: "/activate", status: 500, times: 10 });
      await expect(
        activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "processing" });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(lines.join("\n")).toMatch(/activation: no usable answer from Microsoft/); // the failures were logged…
    const logged = lines.join("\n");
    for (const secret of [purchase.token, encodeURIComponent(purchase.token), process.env.MARKETPLACE_CLIENT_SECRET!])
      expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/eyJ[\w-]{10,}\.eyJ/); // …without any JWT
  });

  it("retries a throttled resolve transparently", async () => {
    const purchase = await buySeats();
    await sandbox.addFault({ pathPattern: "/resolve", status: 429, retryAfterSeconds: 1, times: 1 });
    await expect(resolvePurchase({ token: purchase.token, actor: alice })).resolves.toMatchObject({
      subscriptionId: purchase.subscriptionId,
    });
  });
});

describe("activate", () => {
  it("activates: Subscribed locally and at the emulator, with term dates, owner, config and one audit row", async () => {
    const purchase = await buySeats();
    await resolvePurchase({ token: purchase.token, actor: alice });
    await expect(
      activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice }),
    ).resolves.toEqual({ outcome: "activated", subscriptionId: purchase.subscriptionId });
    const row = await db().subscription.findUniqueOrThrow({ where: { id: purchase.subscriptionId } });
    expect(row).toMatchObject({
      status: "Subscribed",
      ownerTenantId: seeded.alice.tid,
      ownerUserOid: seeded.alice.oid,
      accountConfig: expect.objectContaining({ companyName: "Fabrikam, Inc." }),
    });
    expect(row.termStartDate).toBeInstanceOf(Date);
    expect(row.activatedAt).toBeInstanceOf(Date);
    expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
      "Subscribed",
    );
    expect(await auditActions(purchase.subscriptionId)).toEqual([
      "subscription_recorded",
      "account_configured",
      "activated",
    ]);
    const operations = await db().operation.findMany({ where: { subscriptionId: purchase.subscriptionId } });
    expect(operations).toMatchObject([
      { action: "Activate", status: "Succeeded", actorOid: seeded.alice.oid, source: "Customer" },
    ]);
  });

  it("is idempotent: activating again, or coming back with a fresh token, does not activate twice", async () => {
    const purchase = await buySeats();
    await resolvePurchase({ token: purchase.token, actor: alice });
    await activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice });
    await expect(
      activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice }),
    ).resolves.toMatchObject({ outcome: "already_active" });
    const manage = await sandbox.newToken(purchase.subscriptionId);
    await expect(resolvePurchase({ token: manage.token, actor: alice })).resolves.toMatchObject({
      status: "Subscribed",
    });
    expect((await auditActions(purchase.subscriptionId)).filter((action) => action === "activated")).toHaveLength(1);
  });

  it("the original purchase token used again after activation shows the subscription and records nothing new", async () => {
    const purchase = await buySeats();
    await resolvePurchase({ token: purchase.token, actor: alice });
    await activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice });
    const before = await auditActions(purchase.subscriptionId);
    await expect(resolvePurchase({ token: purchase.token, actor: alice })).resolves.toMatchObject({
      status: "Subscribed",
      subscriptionId: purchase.subscriptionId,
    });
    expect(await auditActions(purchase.subscriptionId)).toEqual(before);
  });

  it("says so when Microsoft refuses the activation (400), keeps the details, and stays pending on both sides", async () => {
    const purchase = await buySeats();
    await resolvePurchase({ token: purchase.token, actor: alice });
    await sandbox.addFault({ pathPattern: "/activate", status: 400, times: 1 });
    await expect(
      activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice }),
    ).rejects.toMatchObject({ code: "activation_refused", reference: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await db().subscription.findUniqueOrThrow({ where: { id: purchase.subscriptionId } })).toMatchObject({
      status: "PendingFulfillmentStart",
      accountConfig: expect.objectContaining({ companyName: "Fabrikam, Inc." }),
    });
    expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
      "PendingFulfillmentStart",
    );
    expect(await auditActions(purchase.subscriptionId)).toContain("activation_failed");
  });

  it("converges when the buyer double-clicks (two concurrent activations → one transition)", async () => {
    const purchase = await buySeats();
    await resolvePurchase({ token: purchase.token, actor: alice });
    const results = await Promise.all([
      activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice }),
      activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice }),
    ]);
    expect(results.every((result) => result.outcome === "activated" || result.outcome === "already_active")).toBe(true);
    expect((await auditActions(purchase.subscriptionId)).filter((action) => action === "activated")).toHaveLength(1);
    expect((await db().subscription.findUniqueOrThrow({ where: { id: purchase.subscriptionId } })).status).toBe(
      "Subscribed",
    );
  });

  it("follows an activation Microsoft is still processing until it completes (no webhook comes for it)", async () => {
    const purchase = await buySeats();
    await resolvePurchase({ token: purchase.token, actor: alice });
    await sandbox.settings({ activationDelayMs: 1500 });
    const worker = await startJobWorkers();
    try {
      await expect(
        activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "processing" });
      const activation = await db().operation.findFirstOrThrow({
        where: { subscriptionId: purchase.subscriptionId, action: "Activate" },
      });
      expect(activation.status).toBe("InProgress");
      const active = await until(
        () => db().subscription.findUniqueOrThrow({ where: { id: purchase.subscriptionId } }),
        (row) => row.status === "Subscribed",
        "activation followed to Subscribed",
        20_000,
      );
      expect(active.activatedAt).toBeInstanceOf(Date);
      expect((await db().operation.findUniqueOrThrow({ where: { id: activation.id } })).status).toBe("Succeeded");
      expect((await auditActions(purchase.subscriptionId)).filter((action) => action === "activated")).toHaveLength(1);
    } finally {
      await worker.stop();
      await sandbox.settings({ activationDelayMs: 0 });
    }
  });

  it("keeps the buyer's details when Microsoft cannot be reached, stays pending, and succeeds on retry", async () => {
    const purchase = await buySeats();
    await resolvePurchase({ token: purchase.token, actor: alice });
    await sandbox.addFault({ pathPattern: "/activate", status: 429, retryAfterSeconds: 0, times: 10 }); // refused: certainly not activated
    const error = await activateSubscription({
      subscriptionId: purchase.subscriptionId,
      accountConfig: config,
      actor: alice,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "marketplace_unavailable" });
    expect((error as { reference?: string }).reference).toMatch(/^[0-9a-f-]{36}$/);
    const pending = await db().subscription.findUniqueOrThrow({ where: { id: purchase.subscriptionId } });
    expect(pending).toMatchObject({
      status: "PendingFulfillmentStart",
      accountConfig: expect.objectContaining({ companyName: "Fabrikam, Inc." }),
    });
    expect(pending.activationRequestedAt).toBeInstanceOf(Date);
    expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
      "PendingFulfillmentStart",
    );
    await sandbox.clearFaults();
    await expect(
      activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice }),
    ).resolves.toMatchObject({ outcome: "activated" });
    expect(await auditActions(purchase.subscriptionId)).toEqual([
      "subscription_recorded",
      "account_configured",
      "activation_failed",
      "account_configured",
      "activated",
    ]);
  });

  it("a 500 or a timeout from Activate is not a failure: the activation stays open and the follow-up finishes it", async () => {
    for (const fault of [
      { status: 500, times: 10 },
      { status: 200, delayMs: 5000, times: 3 },
    ]) {
      const purchase = await buySeats();
      await resolvePurchase({ token: purchase.token, actor: alice });
      await sandbox.addFault({ pathPattern: "/activate", ...fault });
      await expect(
        activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice }),
      ).resolves.toMatchObject({ outcome: "processing" });
      const activation = await db().operation.findFirstOrThrow({
        where: { subscriptionId: purchase.subscriptionId, action: "Activate" },
      });
      // Sent (it may have reached Microsoft), not accepted: the follow-up reads before sending it again.
      expect(activation).toMatchObject({ status: "InProgress", submittedAt: expect.any(Date), acceptedAt: null });
      expect(await auditActions(purchase.subscriptionId)).not.toContain("activation_failed");
      // The follow-up job exists with the operation (written in the same transaction)…
      expect(
        await jobsOf(followActivationJob, {
          states: ["created"],
          data: { field: "operationId", equals: activation.id },
        }),
      ).toHaveLength(1);
      await sandbox.clearFaults();
      // …and, a read showing Microsoft still reports PendingFulfillmentStart, sends Activate again.
      await followActivation({ operationId: activation.id, poll: 1 });
      await followActivation({ operationId: activation.id, poll: 2 });
      expect((await db().operation.findUniqueOrThrow({ where: { id: activation.id } })).status).toBe("Succeeded");
      expect((await db().subscription.findUniqueOrThrow({ where: { id: purchase.subscriptionId } })).status).toBe(
        "Subscribed",
      );
      expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
        "Subscribed",
      );
    }
  }, 30_000);

  it("an Activate that timed out but went through is read back, never sent again, where Microsoft refuses a repeat", async () => {
    await sandbox.variants(["activate-not-idempotent"]);
    try {
      const since = new Date();
      const purchase = await buySeats();
      const id = purchase.subscriptionId;
      await resolvePurchase({ token: purchase.token, actor: alice });
      // Processed 3.5 s after it arrived: after our 3 s timeout (MARKETPLACE_TIMEOUT_MS in the integration set-up).
      await sandbox.addFault({ pathPattern: "/activate", delayMs: 3500, times: 1 });
      const result = await activateSubscription({ subscriptionId: id, accountConfig: config, actor: alice });
      expect(["activated", "processing"]).toContain(result.outcome);
      await until(
        () => sandbox.subscription(id),
        (view) => view.subscription.saasSubscriptionStatus === "Subscribed",
        "activated at Microsoft",
      );
      const activation = await db().operation.findFirstOrThrow({ where: { subscriptionId: id, action: "Activate" } });
      await followActivation({ operationId: activation.id, poll: 1 });
      expect((await db().operation.findUniqueOrThrow({ where: { id: activation.id } })).status).toBe("Succeeded");
      expect((await db().subscription.findUniqueOrThrow({ where: { id } })).status).toBe("Subscribed");
      expect(await sandbox.calls({ since, operation: "activate", subscriptionId: id })).toHaveLength(1);
      expect(await auditActions(id)).not.toContain("activation_failed");
    } finally {
      await sandbox.variants([]);
    }
  });

  it("never lets someone who is not a party activate, and says not found", async () => {
    const purchase = await buySeats();
    await resolvePurchase({ token: purchase.token, actor: alice });
    await expect(
      activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: nina }),
    ).rejects.toMatchObject({ code: "not_owner" });
    await expect(
      activateSubscription({
        subscriptionId: "00000000-0000-4000-8000-000000000000",
        accountConfig: config,
        actor: alice,
      }),
    ).rejects.toMatchObject({ code: "not_owner" });
    expect((await sandbox.subscription(purchase.subscriptionId)).subscription.saasSubscriptionStatus).toBe(
      "PendingFulfillmentStart",
    );
    expect(await auditActions(purchase.subscriptionId)).toEqual(["subscription_recorded"]);
  });

  it("sends request and correlation ids on every marketplace call, the correlation id shared by one activation", async () => {
    const since = new Date();
    const purchase = await buySeats();
    await resolvePurchase({ token: purchase.token, actor: alice });
    await activateSubscription({ subscriptionId: purchase.subscriptionId, accountConfig: config, actor: alice });
    const calls = (await sandbox.calls(since)).filter((call) => call.path.includes(purchase.subscriptionId));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const call of calls) {
      expect(call.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(call.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const pathOf = (call: { path: string }) => call.path.split("?")[0] ?? "";
    const activation = calls.filter(
      (call) =>
        pathOf(call).endsWith("/activate") || (call.method === "GET" && pathOf(call).endsWith(purchase.subscriptionId)),
    );
    expect(activation).toHaveLength(2);
    expect(new Set(activation.map((call) => call.correlationId)).size).toBe(1);
  });
});
