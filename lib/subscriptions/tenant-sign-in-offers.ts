/**
 * Where a signed-in user who is not a party to a purchase (by tid + oid) may sign in instead.
 * Entra gives the same person a different object id in each tenant: a personal Microsoft account
 * signs in through /common to the tenant of personal accounts, while its purchase names the
 * tenant Azure created for it and the account's object id there (marketplace-contract.md §4.4). So
 * when the purchase names a tenant other than the one signed in to, the buyer is offered a
 * sign-in to that tenant. Who may act is still decided by tid + oid after that sign-in.
 */
import { z } from "zod";
import type { TenantHint } from "../errors";

/** Entra's tenant of personal Microsoft accounts (MSA): /common signs them in here. */
export const PERSONAL_ACCOUNTS_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";

interface PurchaseParty {
  tenantId?: string | null;
  objectId?: string | null;
  emailId?: string | null;
}

const guid = z.guid().transform((id) => id.toLowerCase());
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** The domain of an email address (lower case), or null. Never the address itself. */
export function emailDomain(email: string | null | undefined): string | null {
  const domain = email
    ?.trim()
    .toLowerCase()
    .match(/^[^@\s]+@([^@\s]+)$/)?.[1];
  return domain && domain.length <= 253 && DOMAIN.test(domain) ? domain : null;
}

/**
 * The tenants the purchase names (beneficiary first, each once, GUIDs only) other than the one
 * the user signed in to, each with the domain of that party's email to name it by.
 */
export function tenantSignInOffers(
  actor: { tid: string },
  parties: { beneficiary?: PurchaseParty | null; purchaser?: PurchaseParty | null },
): TenantHint[] {
  const offers: TenantHint[] = [];
  for (const party of [parties.beneficiary, parties.purchaser]) {
    const tenantId = guid.safeParse(party?.tenantId);
    if (!tenantId.success || !party?.objectId) continue;
    if (tenantId.data === actor.tid.toLowerCase() || offers.some((offer) => offer.tenantId === tenantId.data)) continue;
    offers.push({ tenantId: tenantId.data, domain: emailDomain(party.emailId) });
  }
  return offers;
}

export const isPersonalAccount = (actor: { tid: string }) => actor.tid.toLowerCase() === PERSONAL_ACCOUNTS_TENANT_ID;

/**
 * What to call the tenant on its sign-in button: the party's email domain names an organisation
 * unless it is the user's own domain (the same person with another identity, e.g. a personal
 * account whose purchase is in the directory Azure created for it); otherwise the page names it
 * in words ("your Azure directory", "the directory of this purchase").
 */
export function tenantSignInLabel(
  hint: TenantHint,
  actor: { tid: string; email?: string | null },
): { domain: string } | "yourAzureDirectory" | "purchaseDirectory" {
  if (hint.domain && hint.domain !== emailDomain(actor.email)) return { domain: hint.domain };
  return isPersonalAccount(actor) ? "yourAzureDirectory" : "purchaseDirectory";
}
