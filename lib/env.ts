/**
 * The portal's configuration: the only module that reads process.env.
 * Each section is parsed once, on first use; `validateEnv()` (called at start-up from
 * instrumentation.ts) parses them all so that a missing production secret stops the boot
 * with a message naming it.
 */
import { z } from "zod";

const MARKETPLACE_RESOURCE_ID = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";

const url = z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, ""));
const httpsUrl = z.url({ protocol: /^https$/, error: "must be an https:// URL" }).transform((value) => value.replace(/\/+$/, ""));
const uuid = z.uuid({ error: "must be a GUID (Entra tenant or application id)" });
const positiveInt = z.coerce.number().int().positive();
const flag = z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1");

const databaseSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL").optional(),
  EMBEDDED_DATABASE_DIR: z.string().min(1).default(".data/pglite"),
  DATABASE_MIGRATE_ON_START: flag.optional(),
});

const authSchema = z.object({
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters (generate one with `openssl rand -base64 33`)"),
  AUTH_MICROSOFT_ENTRA_ID_ID: uuid,
  AUTH_MICROSOFT_ENTRA_ID_SECRET: z.string().min(1),
  AUTH_MICROSOFT_ENTRA_ID_ISSUER: httpsUrl.default("https://login.microsoftonline.com/common/v2.0"),
});

const marketplaceSchema = z.object({
  MARKETPLACE_TENANT_ID: uuid,
  MARKETPLACE_CLIENT_ID: uuid,
  MARKETPLACE_CLIENT_SECRET: z.string().min(1),
  MARKETPLACE_API_BASE: httpsUrl.default("https://marketplaceapi.microsoft.com/api"),
  ENTRA_AUTHORITY_HOST: httpsUrl.default("https://login.microsoftonline.com"),
  MARKETPLACE_RESOURCE_ID: uuid.default(MARKETPLACE_RESOURCE_ID),
  MARKETPLACE_TIMEOUT_MS: positiveInt.default(10_000),
  MARKETPLACE_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
});

const portalSchema = z.object({
  PUBLIC_BASE_URL: url.default("http://localhost:3000"),
  PRODUCT_URL: url.default("http://localhost:3000/account"),
  PRODUCT_NAME: z.string().min(1).default("Contoso SaaS"),
  /** Shown on pages that link back to the marketplace (e.g. "open the sandbox"). Optional. */
  MARKETPLACE_PORTAL_URL: url.default("https://portal.azure.com/#view/HubsExtension/BrowseResource/resourceType/Microsoft.SaaS%2Fresources"),
});

export type DatabaseEnv = z.infer<typeof databaseSchema>;
export type AuthEnv = z.infer<typeof authSchema>;
export type MarketplaceEnv = z.infer<typeof marketplaceSchema>;
export type PortalEnv = z.infer<typeof portalSchema>;

export class ConfigurationError extends Error {
  constructor(section: string, issues: string[]) {
    super(`Invalid ${section} configuration:\n${issues.map((issue) => `  - ${issue}`).join("\n")}\nSee .env.example and the README's "Production setup".`);
    this.name = "ConfigurationError";
  }
}

function section<T extends z.ZodType>(name: string, schema: T): () => z.infer<T> {
  let cached: z.infer<T> | undefined;
  return () => {
    if (cached !== undefined) return cached;
    // Empty strings in .env files mean "not set".
    const source = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ""));
    const parsed = schema.safeParse(source);
    if (!parsed.success) {
      throw new ConfigurationError(name, parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`));
    }
    cached = parsed.data;
    return cached;
  };
}

export const databaseEnv = section("database", databaseSchema);
export const authEnv = section("sign-in", authSchema);
export const marketplaceEnv = section("marketplace", marketplaceSchema);
export const portalEnv = section("portal", portalSchema);

/** Parses every section; throws one error listing every problem. */
export function validateEnv(): void {
  const problems: string[] = [];
  for (const read of [databaseEnv, authEnv, marketplaceEnv, portalEnv]) {
    try {
      read();
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
}
