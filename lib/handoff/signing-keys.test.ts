import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeTempDir } from "@/tests/support/temp-dirs";
import { generateSigningJwk } from "./generate-signing-key";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function keysWith(env: Record<string, string>) {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  return (await import("./signing-keys")).handoffKeys();
}

describe("handoffKeys", () => {
  it("publishes every configured key's public part, and signs with the first", async () => {
    const current = generateSigningJwk();
    const next = { ...generateSigningJwk(), kid: "next-key" };
    const keys = await keysWith({ HANDOFF_SIGNING_KEYS: JSON.stringify([current, next]) });
    expect(keys.source).toBe("environment");
    expect(keys.signer.kid).toBe(current.kid);
    expect(keys.jwks.keys).toEqual([
      { kty: "EC", crv: "P-256", x: current.x, y: current.y, kid: current.kid, alg: "ES256", use: "sig" },
      { kty: "EC", crv: "P-256", x: next.x, y: next.y, kid: "next-key", alg: "ES256", use: "sig" },
    ]);
    expect(JSON.stringify(keys.jwks)).not.toContain(current.d);
  });

  it("without configured keys, generates one into the key file (0600) and keeps it across restarts", async () => {
    const file = path.join(makeTempDir("handoff-keys-"), "nested", "handoff-signing-key.json");
    const first = await keysWith({ HANDOFF_KEY_FILE: file });
    expect(first.source).toBe("generated file");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, "utf8")) as { keys: Array<{ kid: string; d: string }> };
    expect(stored.keys).toHaveLength(1);
    expect(first.signer.kid).toBe(stored.keys[0]?.kid);

    const afterRestart = await keysWith({ HANDOFF_KEY_FILE: file });
    expect(afterRestart.jwks).toEqual(first.jwks);
  });

  it("stops with the file's name when the key file is damaged, without showing its content", async () => {
    const file = path.join(makeTempDir("handoff-keys-"), "key.json");
    writeFileSync(file, '{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"secret-x","d":"secret-d"}]}');
    await expect(keysWith({ HANDOFF_KEY_FILE: file })).rejects.toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} does not hold a valid hand-off key .*delete it`),
    );
    await expect(keysWith({ HANDOFF_KEY_FILE: file })).rejects.not.toThrow(/secret-d/);
    writeFileSync(file, "not json");
    await expect(keysWith({ HANDOFF_KEY_FILE: file })).rejects.toThrow(/is not valid JSON: delete it/);
  });
});
