-- The admin console's free-text search (docs/decisions/0018): one lower-case column holding what
-- the search looks in, kept by the database on every insert and update, with a trigram index that
-- finds any substring in it. pg_trgm ships with PostgreSQL (contrib, on Azure allow it in
-- azure.extensions) and with PGlite (loaded by lib/db/adapter.ts). No semicolons in comments:
-- the schema engine splits this file on them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "Subscription" ADD COLUMN     "searchText" TEXT NOT NULL DEFAULT '';

-- The one write path of searchText: whatever a statement sets, the row's own columns decide it.
CREATE FUNCTION subscription_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := lower(concat_ws(' ', NEW.id, NEW.name, NEW."beneficiaryEmail", NEW."purchaserEmail",
    NEW."beneficiaryTenantId", NEW."purchaserTenantId", NEW."offerId", NEW."planId"));
  RETURN NEW;
END
$$;

CREATE TRIGGER subscription_search_text BEFORE INSERT OR UPDATE ON "Subscription"
  FOR EACH ROW EXECUTE FUNCTION subscription_search_text();

-- Existing rows (the trigger does the work).
UPDATE "Subscription" SET "searchText" = '';

-- CreateIndex
CREATE INDEX "Subscription_searchText_idx" ON "Subscription" USING GIN ("searchText" gin_trgm_ops);
