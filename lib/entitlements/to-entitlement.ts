/**
 * One subscription row as the entitlements API shows it: Microsoft's facts from our copy, names
 * and features from the offer catalog (in memory, so an answer costs one indexed read).
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { describeOffer, describePlan, planEntitlements } from "../catalog";
import type { Entitlement } from "./entitlement-schemas";

/** The columns an entitlement needs, and no personal data (no emails, names of people or account configuration). */
export const entitlementColumns = {
  id: true,
  name: true,
  status: true,
  setupState: true,
  activatedBy: true,
  offerId: true,
  planId: true,
  quantity: true,
  termUnit: true,
  termChargeDuration: true,
  termStartDate: true,
  termEndDate: true,
  autoRenew: true,
  isTest: true,
  isFreeTrial: true,
  beneficiaryTenantId: true,
  purchaserTenantId: true,
  updatedAt: true,
} satisfies Prisma.SubscriptionSelect;

export type EntitlementRow = Prisma.SubscriptionGetPayload<{ select: typeof entitlementColumns }>;

export function toEntitlement(row: EntitlementRow): Entitlement {
  const offer = describeOffer(row.offerId);
  const plan = describePlan(row.offerId, row.planId);
  const { features, includedQuantities } = planEntitlements(row.offerId, row.planId);
  return {
    subscriptionId: row.id,
    name: row.name,
    status: row.status,
    setupState: row.setupState,
    activatedBy: row.activatedBy,
    offer: { id: row.offerId, displayName: offer.displayName },
    plan: { id: row.planId, displayName: plan.displayName },
    seats: row.quantity,
    features,
    includedQuantities,
    term: {
      unit: row.termUnit,
      chargeDuration: row.termChargeDuration,
      startDate: row.termStartDate?.toISOString() ?? null,
      endDate: row.termEndDate?.toISOString() ?? null,
    },
    autoRenew: row.autoRenew,
    isTest: row.isTest,
    isFreeTrial: row.isFreeTrial,
    beneficiaryTenantId: row.beneficiaryTenantId,
    purchaserTenantId: row.purchaserTenantId,
    updatedAt: row.updatedAt.toISOString(),
  };
}
