/**
 * Who may see and act on a subscription from the landing page: the purchaser or the beneficiary,
 * matched by the stable Entra ids (tenant id + object id), never by email. For a CSP purchase the
 * purchaser is the partner and the beneficiary the customer: both qualify.
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

const same = (a: string | null | undefined, b: string) => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

export function isPartyToSubscription(actor: Party, subscription: SubscriptionParties): boolean {
  const matches = (tid: string | null | undefined, oid: string | null | undefined) => same(tid, actor.tid) && same(oid, actor.oid);
  return (
    matches(subscription.beneficiaryTenantId, subscription.beneficiaryObjectId) ||
    matches(subscription.purchaserTenantId, subscription.purchaserObjectId) ||
    matches(subscription.ownerTenantId, subscription.ownerUserOid)
  );
}
