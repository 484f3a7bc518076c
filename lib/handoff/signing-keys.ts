/**
 * The hand-off's signing keys (docs/decisions/0014): HANDOFF_SIGNING_KEYS in production (the
 * first key signs, every key is published), else one ES256 key generated on first use and kept in
 * HANDOFF_KEY_FILE (mode 0600) so that a development or sandbox portal keeps its key across
 * restarts. Private keys stay in this module: only public JWKs leave it, and nothing here is logged.
 */
import "server-only";
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { handoffEnv, handoffSigningKeysSchema, type HandoffSigningKey } from "../env";
import { generateSigningJwk } from "./generate-signing-key";

/** A public key as /.well-known/jwks.json publishes it. */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  y?: string;
  kid: string;
  alg: "ES256" | "EdDSA";
  use: "sig";
}

export interface HandoffKeys {
  /** The key that signs new tokens. */
  signer: { kid: string; alg: "ES256" | "EdDSA"; key: KeyObject };
  /** Every key a product may meet in a token that is still valid: the signer first. */
  jwks: { keys: PublicJwk[] };
  /** Where the keys come from (for the start-up log): never the keys themselves. */
  source: "environment" | "generated file";
}

export class HandoffKeyFileError extends Error {
  override readonly name = "HandoffKeyFileError";
}

function publicJwk(key: HandoffSigningKey): PublicJwk {
  const exported = createPublicKey(createPrivateKey({ key: key.jwk, format: "jwk" })).export({ format: "jwk" });
  return {
    kty: String(exported.kty),
    crv: String(exported.crv),
    x: String(exported.x),
    ...(exported.y ? { y: String(exported.y) } : {}),
    kid: key.kid,
    alg: key.alg,
    use: "sig",
  };
}

/** Builds the signer and the published set from private keys (the first signs). */
export function handoffKeysFrom(keys: HandoffSigningKey[], source: HandoffKeys["source"]): HandoffKeys {
  const [first] = keys;
  if (!first) throw new Error("at least one hand-off signing key is needed");
  return {
    signer: { kid: first.kid, alg: first.alg, key: createPrivateKey({ key: first.jwk, format: "jwk" }) },
    jwks: { keys: keys.map(publicJwk) },
    source,
  };
}

function parseKeyFile(file: string, text: string): HandoffSigningKey[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HandoffKeyFileError(`${file} is not valid JSON: delete it to generate a new hand-off key`);
  }
  const parsed = handoffSigningKeysSchema.safeParse(
    json && typeof json === "object" && "keys" in json ? json.keys : json,
  );
  if (!parsed.success)
    throw new HandoffKeyFileError(
      `${file} does not hold a valid hand-off key (${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}): delete it to generate a new one`,
    );
  return parsed.data;
}

/**
 * The generated key of a portal without HANDOFF_SIGNING_KEYS: read from the file, or made and
 * written once. Two processes starting together both try `wx` (create only): the loser reads the
 * winner's key, so they sign with the same one.
 */
export function loadOrCreateKeyFile(file: string): HandoffSigningKey[] {
  try {
    return parseKeyFile(file, readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const text = `${JSON.stringify({ keys: [generateSigningJwk()] }, null, 2)}\n`;
  try {
    writeFileSync(file, text, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return parseKeyFile(file, readFileSync(file, "utf8"));
}

let cached: HandoffKeys | undefined;

/** The keys, loaded once per process (start-up calls it, so a bad key file stops the boot). */
export function handoffKeys(): HandoffKeys {
  if (cached) return cached;
  const env = handoffEnv();
  cached = env.HANDOFF_SIGNING_KEYS
    ? handoffKeysFrom(env.HANDOFF_SIGNING_KEYS, "environment")
    : handoffKeysFrom(loadOrCreateKeyFile(path.resolve(env.HANDOFF_KEY_FILE)), "generated file");
  return cached;
}

/** Tests: forget the loaded keys, or use these (as a restart with other HANDOFF_SIGNING_KEYS would). */
export function resetHandoffKeys(keys?: HandoffKeys) {
  cached = keys;
}
