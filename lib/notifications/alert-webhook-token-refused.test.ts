import { beforeEach, describe, expect, it, vi } from "vitest";

const alertPublisher = vi.hoisted(() => vi.fn());
const wakeWorkers = vi.hoisted(() => vi.fn());
const logError = vi.hoisted(() => vi.fn());
vi.mock("./alert-publisher", () => ({ alertPublisher }));
vi.mock("../jobs/wake", () => ({ wakeWorkers }));
vi.mock("../db", () => ({ db: () => ({}) }));
vi.mock("../logger", () => ({ logger: { error: logError, warn: vi.fn(), info: vi.fn(), debug: vi.fn() } }));

const { alertWebhookTokenRefused, forgetWebhookTokenAlerts } = await import("./alert-webhook-token-refused");

const audience = { signedMismatch: "audience" as const, reason: "claim check failed: aud (check_failed)" };
const at = (iso: string) => new Date(iso);
const causes = () => alertPublisher.mock.calls.map(([, alert]) => (alert as { cause: string }).cause);

beforeEach(() => {
  forgetWebhookTokenAlerts();
  alertPublisher.mockReset().mockResolvedValue([]);
  wakeWorkers.mockReset();
  logError.mockReset();
});

describe("the webhook_token_refused alert", () => {
  it("writes once per reason and UTC day however many refusals come, and wakes the workers", async () => {
    const writes: Array<Promise<void> | undefined> = [];
    for (let i = 0; i < 100; i += 1) writes.push(alertWebhookTokenRefused(audience, at("2026-12-01T10:00:00Z")));
    const started = writes.filter((write) => write !== undefined);
    expect(started).toHaveLength(1);
    await started[0];
    expect(alertPublisher).toHaveBeenCalledTimes(1);
    expect(alertPublisher.mock.calls[0]![1]).toEqual({
      kind: "webhook_token_refused",
      cause: "webhook-token:audience:2026-12-01",
      data: { mismatch: "audience", reason: audience.reason, firstRefusedAt: "2026-12-01T10:00:00.000Z" },
    });
    expect(wakeWorkers).toHaveBeenCalledTimes(1);

    await alertWebhookTokenRefused(
      { signedMismatch: "tenant", reason: "token issued for another tenant" },
      at("2026-12-01T23:59:59Z"),
    );
    await alertWebhookTokenRefused(audience, at("2026-12-01T23:59:59Z"));
    await alertWebhookTokenRefused(audience, at("2026-12-02T00:00:00Z"));
    expect(causes()).toEqual([
      "webhook-token:audience:2026-12-01",
      "webhook-token:tenant:2026-12-01",
      "webhook-token:audience:2026-12-02",
    ]);
  });

  it("does not make the caller wait: the write is under way when it returns", () => {
    let finish: (value: string[]) => void = () => undefined;
    alertPublisher.mockReturnValue(new Promise<string[]>((resolve) => (finish = resolve)));
    const write = alertWebhookTokenRefused(audience, at("2026-12-01T10:00:00Z"));
    expect(write).toBeInstanceOf(Promise);
    expect(alertPublisher).toHaveBeenCalledTimes(1);
    expect(wakeWorkers).not.toHaveBeenCalled();
    finish([]);
    return write;
  });

  it("never rejects: a failed write is logged once, and tried again by a refusal ten minutes later, not before", async () => {
    alertPublisher.mockRejectedValue(new Error("database unreachable"));
    await expect(alertWebhookTokenRefused(audience, at("2026-12-01T10:00:00Z"))).resolves.toBeUndefined();
    expect(logError).toHaveBeenCalledTimes(1);
    expect(logError.mock.calls[0]![1]).toMatchObject({ mismatch: "audience" });
    for (let i = 0; i < 50; i += 1)
      expect(alertWebhookTokenRefused(audience, at("2026-12-01T10:09:00Z"))).toBeUndefined();
    expect(alertPublisher).toHaveBeenCalledTimes(1);
    expect(logError).toHaveBeenCalledTimes(1);

    alertPublisher.mockResolvedValue([]);
    await alertWebhookTokenRefused(audience, at("2026-12-01T10:10:01Z"));
    expect(alertPublisher).toHaveBeenCalledTimes(2);
    expect(wakeWorkers).toHaveBeenCalledTimes(1);
    expect(alertWebhookTokenRefused(audience, at("2026-12-01T10:30:00Z"))).toBeUndefined();
  });
});
