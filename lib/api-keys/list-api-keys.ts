/**
 * Every API key for the console, newest first, with who created it and its limits by name (offers
 * from the catalog, tenants as the portal knows them) — never the hash.
 */
import "server-only";
import { describeOffer } from "../catalog";
import { db } from "../db";

export async function listApiKeys() {
  const keys = await db().apiKey.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      prefix: true,
      scopes: true,
      offerIds: true,
      tenantIds: true,
      createdByTid: true,
      createdByOid: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
      _count: { select: { usageRecords: true } },
    },
  });
  const creators = await db().user.findMany({
    where: { OR: keys.map((key) => ({ tid: key.createdByTid, oid: key.createdByOid })) },
    select: { tid: true, oid: true, name: true, email: true },
  });
  const nameOf = (tid: string, oid: string) => {
    const user = creators.find((candidate) => candidate.tid === tid && candidate.oid === oid);
    return user?.name ?? user?.email ?? `${tid}:${oid}`;
  };
  const tenantIds = [...new Set(keys.flatMap((key) => key.tenantIds))];
  const tenants = tenantIds.length
    ? await db().tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, name: true } })
    : [];
  return keys.map(({ _count, ...key }) => ({
    ...key,
    createdBy: nameOf(key.createdByTid, key.createdByOid),
    records: _count.usageRecords,
    offers: key.offerIds.map((id) => ({ id, displayName: describeOffer(id).displayName })),
    tenants: key.tenantIds.map((id) => ({ id, name: tenants.find((tenant) => tenant.id === id)?.name ?? null })),
  }));
}
export type ApiKeyListItem = Awaited<ReturnType<typeof listApiKeys>>[number];
