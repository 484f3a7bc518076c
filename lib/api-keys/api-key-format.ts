/**
 * API keys: `usk_<12 hex>_<43 base64url>` (the `usk_` of the first, usage-only keys, kept so that
 * keys already handed out stay valid; what a key may do is its scopes). The first 16 characters are the prefix (stored
 * and shown to admins, unique, used to find the key); the whole key is stored only as its
 * SHA-256. 256 random bits make a slow password hash unnecessary; the comparison is constant-time.
 */
import "server-only";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const API_KEY_PATTERN = /^usk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 16;

export interface NewApiKeySecret {
  /** The key itself: shown once, never stored. */
  key: string;
  prefix: string;
  secretHash: string;
}

export function generateApiKeySecret(): NewApiKeySecret {
  const key = `usk_${randomBytes(6).toString("hex")}_${randomBytes(32).toString("base64url")}`;
  return { key, prefix: key.slice(0, PREFIX_LENGTH), secretHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** The key from `Authorization: Bearer <key>`, or undefined when absent or not shaped like one. */
export function apiKeyFromAuthorization(header: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  const key = match?.[1];
  return key && API_KEY_PATTERN.test(key) ? key : undefined;
}

export function prefixOf(key: string): string {
  return key.slice(0, PREFIX_LENGTH);
}

/** Constant-time: compares the SHA-256 digests, which always have the same length. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const presented = createHash("sha256").update(key, "utf8").digest();
  const stored = Buffer.from(storedHash, "hex");
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
