import { describe, expect, it } from "vitest";
import { MAX_RECORDS_PER_REQUEST, parseUsageEnvelope, parseUsageRecord } from "./usage-record-schema";

const valid = {
  subscriptionId: "0F0C0000-0000-4000-8000-000000000001",
  dimension: "reports",
  quantity: 3,
  effectiveAt: "2026-11-25T10:15:00Z",
  idempotencyKey: "job-42",
};

describe("the POST /api/usage body", () => {
  it("takes one record or { records } of at most 1000", () => {
    expect(parseUsageEnvelope(valid)).toMatchObject({ ok: true, batch: false, records: [valid] });
    expect(parseUsageEnvelope({ records: [valid, valid] })).toMatchObject({ ok: true, batch: true });
    expect(parseUsageEnvelope({ records: [] })).toMatchObject({ ok: false, refusal: { code: "invalid_body" } });
    expect(
      parseUsageEnvelope({ records: Array.from({ length: MAX_RECORDS_PER_REQUEST + 1 }, () => valid) }),
    ).toMatchObject({ ok: false, refusal: { code: "invalid_body", message: expect.stringContaining("at most 1000") } });
    expect(parseUsageEnvelope([valid])).toMatchObject({ ok: false });
    expect(parseUsageEnvelope("text")).toMatchObject({ ok: false });
  });

  it("normalizes a valid record", () => {
    const parsed = parseUsageRecord({ ...valid, quantity: "3.50" });
    expect(parsed).toMatchObject({
      ok: true,
      record: {
        subscriptionId: valid.subscriptionId.toLowerCase(),
        quantity: "3.5",
        effectiveAt: new Date("2026-11-25T10:15:00Z"),
      },
    });
  });

  it.each([
    [{ quantity: -1 }, "quantity", "must be a finite number"],
    [{ quantity: "NaN" }, "quantity", "must be a finite number"],
    [{ quantity: "Infinity" }, "quantity", "must be a finite number"],
    [{ quantity: true }, "quantity", "is invalid"],
    [{ quantity: undefined }, "quantity", "is required"],
    [{ subscriptionId: "abc" }, "subscriptionId", "GUID"],
    [{ dimension: "" }, "dimension", "is required"],
    [{ dimension: "x".repeat(101) }, "dimension", "at most 100"],
    [{ effectiveAt: "2026-11-25 10:15" }, "effectiveAt", "ISO 8601"],
    [{ effectiveAt: "2026-11-25T10:15:00" }, "effectiveAt", "UTC offset"],
    [{ effectiveAt: 1764065700 }, "effectiveAt", "is invalid"],
    [{ idempotencyKey: "has space" }, "idempotencyKey", "printable ASCII"],
    [{ idempotencyKey: "" }, "idempotencyKey", "is required"],
  ] as const)("%j is refused on %s", (overrides, field, text) => {
    const parsed = parseUsageRecord({ ...valid, ...overrides });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.refusal).toMatchObject({ code: "invalid_record", field });
    expect(parsed.refusal.message).toContain(text);
  });

  it("a JSON number too large for a double arrives as Infinity and is refused", () => {
    expect(
      parseUsageRecord(
        JSON.parse(
          `{"subscriptionId":"${valid.subscriptionId}","dimension":"reports","quantity":1e400,"effectiveAt":"2026-11-25T10:15:00Z","idempotencyKey":"k"}`,
        ),
      ),
    ).toMatchObject({ ok: false, refusal: { field: "quantity" } });
  });
});
