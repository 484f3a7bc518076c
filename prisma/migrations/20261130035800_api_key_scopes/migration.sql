-- API keys carry scopes (docs/decisions/0012). Every key created before this one could only report
-- usage, so each of them gets exactly usage:write, whatever its column held (always that, or empty).
UPDATE "ApiKey" SET "scopes" = ARRAY['usage:write']::TEXT[];

-- The closed list of scopes, at least one per key. Prisma does not describe CHECK constraints, so
-- later migrations neither see nor drop this one. Adding a scope means a new migration that
-- replaces it (and lib/api-keys/scopes.ts).
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_scopes_check" CHECK (
  "scopes" IS NOT NULL
  AND cardinality("scopes") >= 1
  AND "scopes" <@ ARRAY['usage:write', 'entitlements:read']::TEXT[]
);
