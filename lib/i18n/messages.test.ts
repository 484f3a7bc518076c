import { describe, expect, it } from "vitest";
import { layOver, leafKeys } from "./messages";

describe("layOver", () => {
  it("keeps English where the other catalog lacks a key or has the wrong kind", () => {
    const english = { a: "A", b: { c: "C", d: "D" }, e: { f: "F" } };
    const other = { a: "あ", b: { c: "し" }, e: "not a tree", extra: "x" };
    expect(layOver(english, other)).toEqual({ a: "あ", b: { c: "し", d: "D" }, e: { f: "F" } });
  });

  it("treats a message precompiled at build time (next.config.ts) as one text, not as a tree", () => {
    // icu-minify's compiled forms: a plain string, or an array of parts ("Hi {name}" → ["Hi ", ["name"]]).
    const english = { a: ["Hi ", ["name"]], b: { c: [["n", 2, { one: [0, " seat"], other: [0, " seats"] }]] } };
    const other = { a: ["こんにちは、", ["name"]] };
    expect(leafKeys(english as never)).toEqual(["a", "b.c"]);
    expect(layOver(english as never, other as never)).toEqual({ a: other.a, b: english.b });
    expect(layOver(english as never, { a: "plain" })).toEqual({ a: "plain", b: english.b });
  });

  it("lists leaf keys as dotted paths", () => {
    expect(leafKeys({ a: "A", b: { c: "C", d: { e: "E" } } })).toEqual(["a", "b.c", "b.d.e"]);
  });
});
