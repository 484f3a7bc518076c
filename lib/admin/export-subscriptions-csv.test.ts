import { beforeEach, describe, expect, it, vi } from "vitest";

const findMany = vi.hoisted(() => vi.fn());
vi.mock("../db", () => ({ db: () => ({ subscription: { findMany } }) }));
vi.mock("../logger", () => ({ logger: { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() } }));

const { exportSubscriptionsCsv } = await import("./export-subscriptions-csv");
const query = { sort: "created", dir: "desc", page: 1 } as const;

const rowsFrom = (start: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: `sub-${start + i}`,
    name: `Name ${start + i}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 100 - start - i)),
  }));

/** Reads the stream to its end, keeping what arrived before an error. */
async function drain(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, completed: true as const };
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    return { text, completed: false as const, error };
  }
}

beforeEach(() => {
  findMany.mockReset();
});

describe("CSV export stream", () => {
  it("walks every batch by keyset and ends after a short batch", async () => {
    findMany
      .mockResolvedValueOnce(rowsFrom(0, 2))
      .mockResolvedValueOnce(rowsFrom(2, 2))
      .mockResolvedValueOnce(rowsFrom(4, 1));
    const result = await drain(await exportSubscriptionsCsv(query, { batchSize: 2 }));
    expect(result.completed).toBe(true);
    const lines = result.text.trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,name,status/);
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["sub-0", "sub-1", "sub-2", "sub-3", "sub-4"]);
    expect(findMany).toHaveBeenCalledTimes(3);
    expect(JSON.stringify(findMany.mock.calls[1]![0].where)).toContain('"id":{"lt":"sub-1"}');
  });

  it("keeps the existing columns in their order and appends the auto-activation, then the retention ones at the end", async () => {
    findMany.mockResolvedValueOnce([]);
    const result = await drain(await exportSubscriptionsCsv(query, { batchSize: 2 }));
    const header = result.text.trimEnd().split(",");
    expect(header.slice(0, 3)).toEqual(["id", "name", "status"]);
    expect(header.indexOf("updatedAt")).toBe(header.length - 8);
    expect(header.slice(-7)).toEqual([
      "marketplaceStatus",
      "termChargeDuration",
      "activatedBy",
      "setupState",
      "setupCompletedAt",
      "dataRetainedUntil",
      "dataPurgedAt",
    ]);
  });

  it("fails before anything is sent when the first read fails (the route answers an error status)", async () => {
    findMany.mockRejectedValueOnce(new Error("database down"));
    await expect(exportSubscriptionsCsv(query, { batchSize: 2 })).rejects.toThrow("database down");
  });

  it("errors the stream when a later batch fails, after the rows already sent, instead of ending as if complete", async () => {
    findMany.mockResolvedValueOnce(rowsFrom(0, 2)).mockRejectedValueOnce(new Error("connection lost"));
    const result = await drain(await exportSubscriptionsCsv(query, { batchSize: 2 }));
    expect(result.completed).toBe(false);
    expect(result.error).toMatchObject({ message: "connection lost" });
    expect(result.text).toContain("sub-1");
  });
});
