/** One subscription's entitlement for an API key, or null when it is unknown or outside the key's limits (the same answer). */
import "server-only";
import type { AuthenticatedApiKey } from "../api-keys/authenticate-api-key";
import { keyMaySee } from "../api-keys/key-visibility";
import { db } from "../db";
import type { Entitlement } from "./entitlement-schemas";
import { entitlementColumns, toEntitlement } from "./to-entitlement";

export async function getEntitlement(options: {
  apiKey: Pick<AuthenticatedApiKey, "offerIds" | "tenantIds">;
  /** A GUID, lower-cased (entitlement-schemas.ts subscriptionIdParam). */
  subscriptionId: string;
}): Promise<Entitlement | null> {
  const row = await db().subscription.findUnique({
    where: { id: options.subscriptionId },
    select: entitlementColumns,
  });
  if (!row || !keyMaySee(options.apiKey, row)) return null;
  return toEntitlement(row);
}
