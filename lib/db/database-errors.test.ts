import { describe, expect, it } from "vitest";
import { isSerializationFailure, isUniqueViolation, sqlState } from "./database-errors";

/** The shapes Prisma 7 gives one PostgreSQL error, as seen in this project's logs. */
const rawStatement = (originalCode: string) =>
  Object.assign(new Error("Raw query failed."), {
    code: "P2010",
    meta: { driverAdapterError: { name: "DriverAdapterError", cause: { originalCode, kind: "postgres" } } },
  });

describe("database errors by SQLSTATE", () => {
  it("finds a serialization failure however Prisma wraps it (the race a double submit loses)", () => {
    expect(isSerializationFailure(rawStatement("40001"))).toBe(true);
    expect(isSerializationFailure(Object.assign(new Error("x"), { code: "P2010", meta: { code: "40001" } }))).toBe(
      true,
    );
    expect(isSerializationFailure(Object.assign(new Error("x"), { code: "P2034" }))).toBe(true);
    expect(isSerializationFailure(Object.assign(new Error("x"), { cause: { originalCode: "40001" } }))).toBe(true);
    expect(isSerializationFailure(rawStatement("40P01"))).toBe(true); // deadlock: also a lost race
  });

  it("finds a unique violation from a model call and from a raw statement", () => {
    expect(isUniqueViolation(Object.assign(new Error("x"), { code: "P2002" }))).toBe(true);
    expect(isUniqueViolation(rawStatement("23505"))).toBe(true);
  });

  it("says no to everything else", () => {
    expect(isSerializationFailure(rawStatement("42804"))).toBe(false);
    expect(isUniqueViolation(rawStatement("40001"))).toBe(false);
    expect(isSerializationFailure(new Error("boom"))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
    expect(sqlState({ code: "P2010" })).toBeUndefined();
    expect(sqlState(rawStatement("23505"))).toBe("23505");
  });
});
