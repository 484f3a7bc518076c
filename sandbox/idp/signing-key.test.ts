import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { SignJWT, createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../tests/support/temp-dirs";
import { SIGNING_KEY_FILE, loadOrCreateSigningKey } from "./signing-key";

const tempDir = () => makeTempDir("idp-key-");

describe("signing key", () => {
  it("creates an RSA-2048 key once, private to the owner, and reuses it", async () => {
    const dir = tempDir();
    const first = await loadOrCreateSigningKey(dir);
    const file = path.join(dir, SIGNING_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const second = await loadOrCreateSigningKey(dir);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(second.cookieKeys).toEqual(first.cookieKeys);
    expect(JSON.parse(readFileSync(file, "utf8")).kid).toBe(first.kid);
  });

  it("publishes only public members, as Entra's key set does", async () => {
    const key = await loadOrCreateSigningKey(tempDir());
    expect(Object.keys(key.publicJwk).sort()).toEqual(["e", "kid", "kty", "n", "use"]);
    expect(key.privateJwk).toMatchObject({ kid: key.kid, use: "sig", alg: "RS256" });
  });

  it("signs tokens that verify against the public key set after a reload", async () => {
    const dir = tempDir();
    const key = await loadOrCreateSigningKey(dir);
    const token = await new SignJWT({ hello: "world" })
      .setProtectedHeader({ alg: "RS256", kid: key.kid })
      .sign(key.privateKey);
    const reloaded = await loadOrCreateSigningKey(dir);
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [reloaded.publicJwk] }));
    expect(payload.hello).toBe("world");
  });

  it("gives different directories different keys", async () => {
    const [a, b] = await Promise.all([loadOrCreateSigningKey(tempDir()), loadOrCreateSigningKey(tempDir())]);
    expect(a.kid).not.toBe(b.kid);
  });
});
