/**
 * A tenant's subscriptions — as beneficiary or as purchaser — that an API key may see, in
 * subscription id order, one page at a time. The cursor is the last id of the previous page, so a
 * page costs the same however deep it is (keyset paging over the tenant indexes).
 */
import "server-only";
import type { AuthenticatedApiKey } from "../api-keys/authenticate-api-key";
import { keyVisibleWhere } from "../api-keys/key-visibility";
import { db } from "../db";
import { encodeCursor } from "./cursor";
import type { EntitlementList } from "./entitlement-schemas";
import { entitlementColumns, toEntitlement } from "./to-entitlement";

export async function listEntitlements(options: {
  apiKey: Pick<AuthenticatedApiKey, "offerIds" | "tenantIds">;
  /** A GUID, lower-cased. */
  tenantId: string;
  /** The last subscription id of the previous page (decoded cursor). */
  after?: string;
  limit: number;
}): Promise<EntitlementList> {
  const rows = await db().subscription.findMany({
    where: {
      AND: [
        { OR: [{ beneficiaryTenantId: options.tenantId }, { purchaserTenantId: options.tenantId }] },
        keyVisibleWhere(options.apiKey),
        ...(options.after ? [{ id: { gt: options.after } }] : []),
      ],
    },
    orderBy: { id: "asc" },
    take: options.limit + 1,
    select: entitlementColumns,
  });
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    entitlements: page.map(toEntitlement),
    nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : null,
  };
}
