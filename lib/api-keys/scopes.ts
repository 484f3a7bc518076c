/**
 * What an API key may do. A closed list, kept as text in `ApiKey.scopes` and checked by the
 * database (docs/decisions/0012): the names are the ones the product and the admin see.
 */
export const apiKeyScopes = ["usage:write", "entitlements:read"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const scopeDescriptions: Record<ApiKeyScope, { label: string; detail: string }> = {
  "usage:write": {
    label: "Report usage",
    detail: "POST /api/usage: metered usage, billed to Microsoft.",
  },
  "entitlements:read": {
    label: "Read entitlements",
    detail: "GET /api/v1/entitlements: what each customer bought (plan, seats, features, status).",
  },
};

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (apiKeyScopes as readonly string[]).includes(value);
}
