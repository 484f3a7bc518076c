/** Look-ups in the seeded catalog (offers, plans) and directory (buyers), shared by pages and APIs. */
import { createHash } from "node:crypto";
import type { Catalog, CatalogOffer, CatalogPlan, Directory, DirectoryUser, Tenant } from "../types";
import type { StoredIdentity } from "./model";

/** What Microsoft appends to the offer id of a purchase through the offer's preview (marketplace-contract.md §15.26). */
export const PREVIEW_SUFFIX = "-preview";

/** The offer, also for a preview purchase's `<offerId>-preview` (the same offer, its plans and dimensions). */
export function findOffer(catalog: Catalog, offerId: string): CatalogOffer | undefined {
  const exact = catalog.offers.find((o) => o.offerId === offerId);
  if (exact || !offerId.endsWith(PREVIEW_SUFFIX)) return exact;
  const base = offerId.slice(0, -PREVIEW_SUFFIX.length);
  return catalog.offers.find((o) => o.offerId === base);
}

export function findPlan(catalog: Catalog, offerId: string, planId: string): CatalogPlan | undefined {
  return findOffer(catalog, offerId)?.plans.find((p) => p.planId === planId);
}

export function findUser(directory: Directory, tid: string, oid: string): DirectoryUser | undefined {
  return directory.users.find(
    (u) => u.tid.toLowerCase() === tid.toLowerCase() && u.oid.toLowerCase() === oid.toLowerCase(),
  );
}

export function findTenant(directory: Directory, tid: string): Tenant | undefined {
  return directory.tenants.find((t) => t.id.toLowerCase() === tid.toLowerCase());
}

/**
 * Users who can buy on the purchase page: everyone outside the publisher's own tenant and the
 * tenant of personal accounts (a personal account buys as its user object in the tenant Azure
 * created for it, e.g. Maya in "Maya's directory").
 */
export function buyers(directory: Directory): DirectoryUser[] {
  const personal = new Set(directory.tenants.filter((t) => t.personalAccounts).map((t) => t.id));
  return directory.users.filter((u) => u.tid !== directory.publisherTenantId && !personal.has(u.tid));
}

/**
 * The reseller who buys on a customer's behalf in a CSP purchase: the first user of a tenant
 * whose name says "CSP" (the seeded directory has one, Adatum CSP Partner).
 */
export function cspReseller(directory: Directory): DirectoryUser | undefined {
  const cspTenants = new Set(directory.tenants.filter((t) => /\bCSP\b/i.test(t.name)).map((t) => t.id));
  return directory.users.find((u) => cspTenants.has(u.tid));
}

/** `AadIdentifier` of a user. The puid is opaque; a stable 16-hex-digit value like Microsoft's. */
export function identityOf(user: DirectoryUser): StoredIdentity {
  const puid = createHash("sha256").update(`puid:${user.tid}:${user.oid}`).digest("hex").slice(0, 16).toUpperCase();
  return { emailId: user.email, objectId: user.oid, tenantId: user.tid, puid };
}

/** Describes the allowed seat range of a per-seat plan, e.g. "1–100 seats". */
export function seatRange(plan: CatalogPlan): string {
  return `${plan.minQuantity ?? 1}–${plan.maxQuantity ?? "∞"} seats`;
}
