/** What an admin enters to create an API key; the same schema checks the form and the server action. */
import { z } from "zod";
import { apiKeyScopes } from "./scopes";

/** "a, b\nc" → ["a", "b", "c"]: the form takes lists as text. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  ];
}

export const createApiKeyInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the key a name (e.g. the product or environment that uses it).")
    .max(100, "At most 100 characters."),
  scopes: z
    .array(z.enum(apiKeyScopes, "Unknown permission."))
    .min(1, "Choose what the key may do (at least one).")
    .transform((scopes) => apiKeyScopes.filter((scope) => scopes.includes(scope))),
  offerIds: z
    .array(z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, "Offer ids are letters, digits, dots, dashes and underscores."))
    .max(50),
  tenantIds: z.array(z.guid("Customer tenant ids are GUIDs.").transform((id) => id.toLowerCase())).max(100),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;
