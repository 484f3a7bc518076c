/**
 * What an API key may do. A closed list, kept as text in `ApiKey.scopes` and checked by the
 * database (docs/decisions/0012): the names are the ones the product and the admin see (the console
 * describes each in the reader's language: messages/<locale>/admin-client.json, `scopes`).
 */
export const apiKeyScopes = ["usage:write", "entitlements:read"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (apiKeyScopes as readonly string[]).includes(value);
}
