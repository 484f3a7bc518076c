import { describe, expect, it, vi } from "vitest";
import { fetchPage } from "./paging";

const rowsOf = (total: number) =>
  vi.fn(async (skip: number) => Array.from({ length: Math.max(0, Math.min(10, total - skip)) }, (_, i) => skip + i));

describe("fetchPage", () => {
  it("reads the count and the requested page together when the page exists", async () => {
    const rows = rowsOf(25);
    await expect(fetchPage({ page: 3, size: 10, count: async () => 25, rows })).resolves.toEqual({
      rows: [20, 21, 22, 23, 24],
      total: 25,
      page: 3,
      lastPage: 3,
    });
    expect(rows).toHaveBeenCalledTimes(1);
  });

  it("shows the last page for a page past the end (a huge or stale page number), with one more read", async () => {
    const rows = rowsOf(25);
    await expect(fetchPage({ page: 1000, size: 10, count: async () => 25, rows })).resolves.toMatchObject({
      rows: [20, 21, 22, 23, 24],
      page: 3,
      lastPage: 3,
    });
    expect(rows.mock.calls.map(([skip]) => skip)).toEqual([9990, 20]);
  });

  it("has one empty page when nothing matches, and respects a page cap", async () => {
    await expect(fetchPage({ page: 4, size: 10, count: async () => 0, rows: rowsOf(0) })).resolves.toEqual({
      rows: [],
      total: 0,
      page: 1,
      lastPage: 1,
    });
    await expect(
      fetchPage({ page: 9, size: 10, maxPage: 5, count: async () => 1000, rows: rowsOf(1000) }),
    ).resolves.toMatchObject({ page: 5, lastPage: 5, rows: [40, 41, 42, 43, 44, 45, 46, 47, 48, 49] });
  });
});
