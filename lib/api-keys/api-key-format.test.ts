import { describe, expect, it } from "vitest";
import {
  API_KEY_PATTERN,
  apiKeyFromAuthorization,
  apiKeyMatches,
  generateApiKeySecret,
  hashApiKey,
  prefixOf,
} from "./api-key-format";

describe("API keys", () => {
  it("are random, shaped, and stored only as prefix + SHA-256", () => {
    const a = generateApiKeySecret();
    const b = generateApiKeySecret();
    expect(a.key).toMatch(API_KEY_PATTERN);
    expect(a.key).not.toBe(b.key);
    expect(a.prefix).toBe(prefixOf(a.key));
    expect(a.prefix).toMatch(/^usk_[0-9a-f]{12}$/);
    expect(a.secretHash).toBe(hashApiKey(a.key));
    expect(a.secretHash).not.toContain(a.key.slice(17));
  });

  it("match only the exact key", () => {
    const { key, secretHash } = generateApiKeySecret();
    expect(apiKeyMatches(key, secretHash)).toBe(true);
    expect(apiKeyMatches(`${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`, secretHash)).toBe(false);
    expect(apiKeyMatches(key, "00")).toBe(false);
  });

  it("are read from a Bearer header only when well-formed", () => {
    const { key } = generateApiKeySecret();
    expect(apiKeyFromAuthorization(`Bearer ${key}`)).toBe(key);
    expect(apiKeyFromAuthorization(`bearer  ${key} `)).toBe(key);
    expect(apiKeyFromAuthorization(key)).toBeUndefined();
    expect(apiKeyFromAuthorization(`Basic ${key}`)).toBeUndefined();
    expect(apiKeyFromAuthorization("Bearer usk_short")).toBeUndefined();
    expect(apiKeyFromAuthorization(null)).toBeUndefined();
  });
});
