/**
 * API keys with scopes on a real database (PostgreSQL and PGlite): the migration that introduced
 * scopes gives every existing key `usage:write`, the database refuses a key without a known scope,
 * and the usage API takes `usage:write` keys only.
 */
import { cpSync, readdirSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { POST as postUsage } from "@/app/api/usage/route";
import { db } from "@/lib/db";
import { createDatabaseAdapter, type DatabaseAdapter } from "@/lib/db/adapter";
import { applyMigrations } from "@/lib/db/schema-engine";
import { createTestDatabase, type TestDatabase } from "@/tests/support/database";
import { seeded } from "@/tests/support/sandbox-env";
import { makeTempDir } from "@/tests/support/temp-dirs";
import { authenticateApiKey } from "./authenticate-api-key";
import { createApiKey } from "./create-api-key";
import { revokeApiKey } from "./revoke-api-key";

const SCOPES_MIGRATION = "20261130035800_api_key_scopes";
const paula = { tid: seeded.publisherTenant, oid: "a1000000-0000-4000-8000-000000000001" };
const kind = process.env.TEST_DATABASE === "embedded" ? "embedded" : "postgresql";
const opened: Array<{ database: TestDatabase; adapter: DatabaseAdapter }> = [];

afterAll(async () => {
  for (const { database, adapter } of opened) {
    await adapter.close();
    await database.drop();
  }
});

/** A database migrated up to (not including) the scopes migration. */
async function databaseBeforeScopes() {
  const all = path.resolve("prisma/migrations");
  const dir = makeTempDir("portal-migrations-");
  const earlier = readdirSync(all, { withFileTypes: true }).filter(
    (entry) => entry.isDirectory() && entry.name < SCOPES_MIGRATION,
  );
  for (const entry of earlier) cpSync(path.join(all, entry.name), path.join(dir, entry.name), { recursive: true });
  const database = await createTestDatabase(kind, "keys", { migrationsDir: dir });
  const adapter = createDatabaseAdapter(
    kind === "embedded"
      ? { embeddedDir: database.env.EMBEDDED_DATABASE_DIR }
      : { databaseUrl: database.env.DATABASE_URL },
  );
  opened.push({ database, adapter });
  return adapter;
}

const insertKey = (adapter: DatabaseAdapter, id: string, scopes: string) =>
  adapter.sql.executeSql(
    `INSERT INTO "ApiKey" (id, name, prefix, "secretHash", scopes, "offerIds", "tenantIds", "createdByTid", "createdByOid")
     VALUES ($1, $1, $1, 'hash', ${scopes}, '{}', '{}', $2, $3)`,
    [id, paula.tid, paula.oid],
  );

describe("the scopes migration", () => {
  it("gives every existing key usage:write — whatever its column held — and from then on the database accepts known scopes only", async () => {
    const adapter = await databaseBeforeScopes();
    await insertKey(adapter, "usk_old000000001", "ARRAY['usage:write']");
    await insertKey(adapter, "usk_old000000002", "'{}'");
    await insertKey(adapter, "usk_old000000003", "NULL");

    expect(await applyMigrations(adapter.factory)).toContain(SCOPES_MIGRATION);

    const { rows } = await adapter.sql.executeSql(`SELECT id, scopes FROM "ApiKey" ORDER BY id`, []);
    expect(rows).toEqual([
      { id: "usk_old000000001", scopes: ["usage:write"] },
      { id: "usk_old000000002", scopes: ["usage:write"] },
      { id: "usk_old000000003", scopes: ["usage:write"] },
    ]);

    for (const scopes of ["'{}'", "NULL", "ARRAY['admin:all']", "ARRAY['usage:write', NULL]", "ARRAY['Usage:Write']"])
      await expect(insertKey(adapter, `usk_bad_${scopes.length}`, scopes), scopes).rejects.toThrow(
        /ApiKey_scopes_check/,
      );
    await insertKey(adapter, "usk_new000000001", "ARRAY['entitlements:read']");
    await insertKey(adapter, "usk_new000000002", "ARRAY['usage:write', 'entitlements:read']");
    const { rows: counted } = await adapter.sql.executeSql(`SELECT count(*)::int AS n FROM "ApiKey"`, []);
    expect(counted).toEqual([{ n: 5 }]);
  });
});

describe("scopes at the door", () => {
  const usage = (authorization: string) =>
    postUsage(
      new NextRequest("http://localhost/api/usage", {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify({
          subscriptionId: "00000000-0000-4000-8000-000000000000",
          dimension: "reports",
          quantity: 1,
          effectiveAt: new Date().toISOString(),
          idempotencyKey: "scope-test",
        }),
      }),
    );

  it("the usage API refuses a key without usage:write with 403, and records nothing", async () => {
    const { key, apiKey } = await createApiKey({
      input: { name: "entitlements only", scopes: ["entitlements:read"], offerIds: [], tenantIds: [] },
      actor: paula,
    });
    expect(apiKey.scopes).toEqual(["entitlements:read"]);
    const before = await db().usageRecord.count();
    const response = await usage(`Bearer ${key}`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      accepted: 0,
      refused: 0,
      results: [],
      error: { code: "forbidden", message: expect.stringContaining("lacks the usage:write scope") },
    });
    expect(await db().usageRecord.count()).toBe(before);
  });

  it("a key with both scopes passes either door; revoked, it passes neither", async () => {
    const { key, apiKey } = await createApiKey({
      input: { name: "both", scopes: ["usage:write", "entitlements:read"], offerIds: [], tenantIds: [] },
      actor: paula,
    });
    const authorization = `Bearer ${key}`;
    expect(await authenticateApiKey({ authorization, scope: "usage:write" })).toMatchObject({ ok: true });
    expect(await authenticateApiKey({ authorization, scope: "entitlements:read" })).toMatchObject({
      ok: true,
      apiKey: { scopes: ["usage:write", "entitlements:read"] },
    });
    // Past authentication: the made-up subscription is simply not found.
    expect((await usage(authorization)).status).toBe(404);
    expect(await revokeApiKey({ apiKeyId: apiKey.id, actor: paula })).toBe(true);
    for (const scope of ["usage:write", "entitlements:read"] as const)
      expect(await authenticateApiKey({ authorization, scope })).toMatchObject({
        ok: false,
        refusal: { code: "unauthenticated" },
      });
    expect((await usage(authorization)).status).toBe(401);
  });

  it("an audit row records the scopes a key was created with", async () => {
    const { apiKey } = await createApiKey({
      input: { name: "audited", scopes: ["entitlements:read"], offerIds: ["contoso-backup"], tenantIds: [] },
      actor: paula,
    });
    const audit = await db().auditEvent.findFirst({
      where: { action: "api_key_created", detail: { path: ["apiKeyId"], equals: apiKey.id } },
    });
    expect(audit?.detail).toMatchObject({ scopes: ["entitlements:read"], offerIds: ["contoso-backup"] });
  });
});
