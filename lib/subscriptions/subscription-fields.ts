/** Maps Microsoft's Subscription object onto our columns (every field; see prisma/schema.prisma). */
import type { MarketplaceSubscription } from "../marketplace/schemas";

/** Entra ids are GUIDs; we store them lower-case so lookups by tid/oid are exact. */
const guid = (value: string | null | undefined) => (value ? value.toLowerCase() : null);

export function subscriptionFields(subscription: MarketplaceSubscription) {
  return {
    publisherId: subscription.publisherId ?? null,
    offerId: subscription.offerId,
    planId: subscription.planId,
    quantity: subscription.quantity ?? null,
    name: subscription.name ?? "",
    // Microsoft's status as sent (an open value); `status` is decided by syncSubscription.
    marketplaceStatus: subscription.saasSubscriptionStatus,
    beneficiaryTenantId: guid(subscription.beneficiary?.tenantId),
    beneficiaryObjectId: guid(subscription.beneficiary?.objectId),
    beneficiaryEmail: subscription.beneficiary?.emailId ?? null,
    beneficiaryPuid: subscription.beneficiary?.puid ?? null,
    purchaserTenantId: guid(subscription.purchaser?.tenantId),
    purchaserObjectId: guid(subscription.purchaser?.objectId),
    purchaserEmail: subscription.purchaser?.emailId ?? null,
    purchaserPuid: subscription.purchaser?.puid ?? null,
    termUnit: subscription.term?.termUnit ?? null,
    termStartDate: subscription.term?.startDate ?? null,
    termEndDate: subscription.term?.endDate ?? null,
    termChargeDuration: subscription.term?.chargeDuration ?? null,
    autoRenew: subscription.autoRenew ?? true,
    isTest: subscription.isTest ?? false,
    isFreeTrial: subscription.isFreeTrial ?? false,
    allowedCustomerOperations: subscription.allowedCustomerOperations ?? ["Read"],
    sandboxType: subscription.sandboxType ?? null,
    sessionMode: subscription.sessionMode ?? null,
    marketplaceCreatedAt: subscription.created ?? null,
    marketplaceModifiedAt: subscription.lastModified ?? null,
  };
}
