/**
 * Who may see and act on a subscription (docs/decisions/0003), by the stable Entra ids (tenant
 * id + object id), never by email:
 *  - a **party**: the purchaser or the beneficiary (for a CSP purchase the partner and the
 *    customer), or the user who activated it;
 *  - a **tenant admin** of the customer: a user of the beneficiary's tenant whose token says they
 *    hold the Global Administrator or Billing Administrator directory role there (`wids`);
 *  - a **colleague** a party or tenant admin invited (recorded by tid + oid when they accepted).
 * Parties and tenant admins also decide who else has access; colleagues manage the subscription
 * but not its people. The landing page (resolve, activate) stays with the parties.
 */
export interface Party {
  tid: string;
  oid: string;
}

export interface SubscriptionParties {
  beneficiaryTenantId: string | null;
  beneficiaryObjectId: string | null;
  purchaserTenantId: string | null;
  purchaserObjectId: string | null;
  ownerTenantId?: string | null;
  ownerUserOid?: string | null;
}

/** Entra directory role template ids (the `wids` claim) that make a user a tenant admin here. */
export const TENANT_ADMIN_ROLES: Readonly<Record<string, string>> = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "b0f54661-2d74-4c50-afa3-1ec803f12efe": "Billing Administrator",
};

export type SubscriptionAccess = "party" | "tenant_admin" | "colleague";

const same = (a: string | null | undefined, b: string) => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

export function isPartyToSubscription(actor: Party, subscription: SubscriptionParties): boolean {
  const matches = (tid: string | null | undefined, oid: string | null | undefined) =>
    same(tid, actor.tid) && same(oid, actor.oid);
  return (
    matches(subscription.beneficiaryTenantId, subscription.beneficiaryObjectId) ||
    matches(subscription.purchaserTenantId, subscription.purchaserObjectId) ||
    matches(subscription.ownerTenantId, subscription.ownerUserOid)
  );
}

const tenantAdminRoleIds = new Set(Object.keys(TENANT_ADMIN_ROLES));

/** Whether the token says the user is a Global or Billing Administrator of their own tenant. */
export function holdsTenantAdminRole(actor: { directoryRoles?: readonly string[] }): boolean {
  return (actor.directoryRoles ?? []).some((role) => tenantAdminRoleIds.has(role.toLowerCase()));
}

export function isTenantAdminFor(
  actor: Party & { directoryRoles?: readonly string[] },
  subscription: Pick<SubscriptionParties, "beneficiaryTenantId">,
): boolean {
  return same(subscription.beneficiaryTenantId, actor.tid) && holdsTenantAdminRole(actor);
}

/** The strongest reason the actor may use the subscription, or null. `isColleague`: an accepted invitation exists for this tid + oid. */
export function subscriptionAccess(
  actor: Party & { directoryRoles?: readonly string[] },
  subscription: SubscriptionParties,
  isColleague: boolean,
): SubscriptionAccess | null {
  if (isPartyToSubscription(actor, subscription)) return "party";
  if (isTenantAdminFor(actor, subscription)) return "tenant_admin";
  return isColleague ? "colleague" : null;
}

export const canManagePeople = (access: SubscriptionAccess | null) => access === "party" || access === "tenant_admin";

/** An invitation is only for the customer's own organisation: the beneficiary's or the purchaser's tenant. */
export function mayAcceptInvite(
  actor: Party,
  subscription: Pick<SubscriptionParties, "beneficiaryTenantId" | "purchaserTenantId">,
): boolean {
  return same(subscription.beneficiaryTenantId, actor.tid) || same(subscription.purchaserTenantId, actor.tid);
}
