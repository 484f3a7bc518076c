/**
 * Which subscriptions a key may see: a key limited to some offers or customer tenants (the
 * beneficiary's tenant) sees only theirs, for every scope. Outside them a subscription does not
 * exist for that key — the same answer as an unknown one, so a key learns nothing about others.
 * A key limited to an offer also sees the offer's preview purchases (`<offer>-preview`).
 */
import { PREVIEW_SUFFIX, previewOffer } from "../catalog/preview-offer";
import type { Prisma } from "../generated/prisma/client";

export interface KeyRestrictions {
  /** Empty: every offer. */
  offerIds: readonly string[];
  /** Empty: every customer tenant (matched against the beneficiary's tenant). */
  tenantIds: readonly string[];
}

export function keyMaySee(
  key: KeyRestrictions,
  subscription: { offerId: string; beneficiaryTenantId: string | null },
): boolean {
  return (
    (key.offerIds.length === 0 ||
      key.offerIds.includes(subscription.offerId) ||
      key.offerIds.includes(previewOffer(subscription.offerId).offerId)) &&
    (key.tenantIds.length === 0 ||
      (subscription.beneficiaryTenantId !== null && key.tenantIds.includes(subscription.beneficiaryTenantId)))
  );
}

/** The same rule as a query condition, for lists. */
export function keyVisibleWhere(key: KeyRestrictions): Prisma.SubscriptionWhereInput {
  return {
    ...(key.offerIds.length > 0
      ? { offerId: { in: key.offerIds.flatMap((id) => (previewOffer(id).preview ? [id] : [id, id + PREVIEW_SUFFIX])) } }
      : {}),
    ...(key.tenantIds.length > 0 ? { beneficiaryTenantId: { in: [...key.tenantIds] } } : {}),
  };
}
