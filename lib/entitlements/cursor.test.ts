import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "./cursor";

describe("paging cursor", () => {
  it("carries the last subscription id of a page", () => {
    const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    const cursor = encodeCursor(id);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toBe(id);
  });

  it("refuses anything this API did not give out", () => {
    for (const cursor of ["", "not a cursor", "%%%", encodeCursor("' OR 1=1 --"), encodeCursor("x".repeat(36))])
      expect(decodeCursor(cursor), cursor).toBeUndefined();
    expect(decodeCursor("A".repeat(201))).toBeUndefined();
  });
});
