/**
 * Who is calling a product-facing API (`POST /api/usage`, `GET /api/v1/entitlements`): the API key
 * from `Authorization: Bearer`, found by its prefix and compared by hash in constant time. Unknown,
 * malformed and revoked keys are all 401; a valid key without the scope the endpoint needs is 403.
 */
import "server-only";
import { db } from "../db";
import { apiKeyFromAuthorization, apiKeyMatches, hashApiKey, prefixOf } from "./api-key-format";
import { isApiKeyScope, type ApiKeyScope } from "./scopes";

/** lastUsedAt is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Compared against when the prefix is unknown, so that case costs the same as a wrong secret. */
const NO_SUCH_KEY_HASH = hashApiKey("usk_000000000000_no-such-key-no-such-key-no-such-key-no-such");

export interface AuthenticatedApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  /** Empty: every offer. */
  offerIds: string[];
  /** Empty: every customer tenant. */
  tenantIds: string[];
}

/** Why a request was refused before its body was looked at: 401 or 403, with words for a person. */
export interface ApiKeyRefusal {
  code: "unauthenticated" | "forbidden";
  message: string;
}

export type ApiKeyAuthentication = { ok: true; apiKey: AuthenticatedApiKey } | { ok: false; refusal: ApiKeyRefusal };

export async function authenticateApiKey(options: {
  authorization: string | null;
  /** The scope the endpoint needs. */
  scope: ApiKeyScope;
  now?: Date;
}): Promise<ApiKeyAuthentication> {
  const key = apiKeyFromAuthorization(options.authorization);
  if (!key)
    return {
      ok: false,
      refusal: {
        code: "unauthenticated",
        message: "Send the API key as Authorization: Bearer usk_… (admins create keys in the console under API keys).",
      },
    };
  const row = await db().apiKey.findUnique({
    where: { prefix: prefixOf(key) },
    select: {
      id: true,
      name: true,
      secretHash: true,
      scopes: true,
      offerIds: true,
      tenantIds: true,
      lastUsedAt: true,
      revokedAt: true,
    },
  });
  const matches = apiKeyMatches(key, row?.secretHash ?? NO_SUCH_KEY_HASH);
  if (!row || !matches)
    return { ok: false, refusal: { code: "unauthenticated", message: "The API key is not valid." } };
  if (row.revokedAt)
    return {
      ok: false,
      refusal: {
        code: "unauthenticated",
        message: `The API key "${row.name}" was revoked on ${row.revokedAt.toISOString()}.`,
      },
    };
  const scopes = row.scopes.filter(isApiKeyScope);
  if (!scopes.includes(options.scope))
    return {
      ok: false,
      refusal: {
        code: "forbidden",
        message: `The API key "${row.name}" lacks the ${options.scope} scope (it has ${scopes.join(", ") || "none"}); an admin can create a key with it under API keys.`,
      },
    };

  const now = options.now ?? new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    ok: true,
    apiKey: { id: row.id, name: row.name, scopes, offerIds: row.offerIds, tenantIds: row.tenantIds },
  };
}
