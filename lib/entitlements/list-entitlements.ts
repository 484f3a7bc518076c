/**
 * A tenant's subscriptions — as beneficiary or as purchaser — that an API key may see, in
 * subscription id order, one page at a time. The cursor is the last id of the previous page
 * (keyset paging). The two roles are read as two ordered range scans over the indexes
 * (beneficiaryTenantId, id) and (purchaserTenantId, id), each stopping after one page, and merged:
 * so a page costs the same however deep it is and however many subscriptions the tenant has (a
 * reseller may have thousands). One query with `OR` would read and sort all of them for every page.
 */
import "server-only";
import type { AuthenticatedApiKey } from "../api-keys/authenticate-api-key";
import { keyVisibleWhere } from "../api-keys/key-visibility";
import { db } from "../db";
import { encodeCursor } from "./cursor";
import type { EntitlementList } from "./entitlement-schemas";
import { entitlementColumns, toEntitlement, type EntitlementRow } from "./to-entitlement";

export async function listEntitlements(options: {
  apiKey: Pick<AuthenticatedApiKey, "offerIds" | "tenantIds">;
  /** A GUID, lower-cased. */
  tenantId: string;
  /** The last subscription id of the previous page (decoded cursor). */
  after?: string;
  limit: number;
}): Promise<EntitlementList> {
  const page = (role: "beneficiaryTenantId" | "purchaserTenantId") =>
    db().subscription.findMany({
      where: {
        // AND, not one object: the key's tenant limit is a condition on beneficiaryTenantId too.
        AND: [
          { [role]: options.tenantId },
          keyVisibleWhere(options.apiKey),
          ...(options.after ? [{ id: { gt: options.after } }] : []),
        ],
      },
      orderBy: { id: "asc" },
      take: options.limit + 1,
      select: entitlementColumns,
    });
  const [asBeneficiary, asPurchaser] = await Promise.all([page("beneficiaryTenantId"), page("purchaserTenantId")]);
  // Both lists are in id order; a subscription the tenant bought for itself is in both.
  const merged = new Map<string, EntitlementRow>();
  for (const row of [...asBeneficiary, ...asPurchaser].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    merged.set(row.id, row);
  const rows = [...merged.values()];
  const shown = rows.slice(0, options.limit);
  const last = shown.at(-1);
  return {
    entitlements: shown.map(toEntitlement),
    nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : null,
  };
}
