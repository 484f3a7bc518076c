import { describe, expect, it } from "vitest";
import { negotiateLocale, resolveLocale, resolveTimeZone } from "./locales";

describe("negotiateLocale", () => {
  it("takes the first acceptable language by weight", () => {
    expect(negotiateLocale("ja-JP,ja;q=0.9,en-US;q=0.8")).toBe("ja");
    expect(negotiateLocale("fr-FR, en;q=0.5, ja;q=0.7")).toBe("ja");
    expect(negotiateLocale("de, en-GB;q=0.9")).toBe("en");
    expect(negotiateLocale("EN-us")).toBe("en");
  });

  it("keeps header order between equal weights", () => {
    expect(negotiateLocale("en;q=0.8, ja;q=0.8")).toBe("en");
  });

  it("ignores refused, malformed and unknown ranges", () => {
    expect(negotiateLocale("ja;q=0, en;q=0.1")).toBe("en");
    expect(negotiateLocale("ja;q=abc")).toBeUndefined();
    expect(negotiateLocale("ja;q=2")).toBeUndefined();
    expect(negotiateLocale("<script>, ja_JP")).toBeUndefined();
    expect(negotiateLocale("fr, de")).toBeUndefined();
    expect(negotiateLocale("*")).toBeUndefined();
    expect(negotiateLocale("")).toBeUndefined();
    expect(negotiateLocale(null)).toBeUndefined();
    expect(negotiateLocale(`ja,${"x".repeat(2_000)}`)).toBeUndefined();
  });
});

describe("resolveLocale", () => {
  it("prefers the visitor's choice, then the browser, then English", () => {
    expect(resolveLocale({ cookie: "ja", acceptLanguage: "en" })).toBe("ja");
    expect(resolveLocale({ cookie: "en", acceptLanguage: "ja" })).toBe("en");
    expect(resolveLocale({ cookie: undefined, acceptLanguage: "ja-JP" })).toBe("ja");
    expect(resolveLocale({ cookie: "xx", acceptLanguage: "ja" })).toBe("ja");
    expect(resolveLocale({ cookie: "jp';--", acceptLanguage: "garbage;;" })).toBe("en");
    expect(resolveLocale({})).toBe("en");
  });
});

describe("resolveTimeZone", () => {
  it("takes a valid browser zone, else the language's usual one", () => {
    expect(resolveTimeZone("Europe/Paris", "ja")).toBe("Europe/Paris");
    expect(resolveTimeZone(undefined, "ja")).toBe("Asia/Tokyo");
    expect(resolveTimeZone(undefined, "en")).toBe("UTC");
    expect(resolveTimeZone("Mars/Olympus", "en")).toBe("UTC");
    expect(resolveTimeZone("Europe/Paris; drop", "en")).toBe("UTC");
  });
});
