/**
 * What an event says about its subscription: the entitlement as it stands once the change is
 * written (README “Events”, the `subscription` object). Names come from the offer catalog when it
 * knows the offer, else the ids; features are the plan's, from the catalog. No personal data other
 * than what the buyer typed into the account configuration (no emails, no names of people).
 */
import "server-only";
import { describeOffer, describePlan, planEntitlements } from "../catalog";
import type { Subscription } from "../generated/prisma/client";

export type FeatureValue = boolean | number | string;

export interface Entitlement {
  subscriptionId: string;
  /** The subscription's name, as the buyer gave it in the marketplace. */
  name: string;
  /** The customer's Entra tenant (the beneficiary: who uses it). */
  tenantId: string | null;
  /** Who pays (differs from tenantId for a purchase through a CSP partner). */
  purchaserTenantId: string | null;
  offer: { id: string; name: string };
  plan: { id: string; name: string };
  /** Seats of a per-seat plan; null for flat-rate plans. */
  seats: number | null;
  status: Subscription["status"];
  setupState: Subscription["setupState"];
  activatedBy: Subscription["activatedBy"];
  term: { unit: string | null; startDate: string | null; endDate: string | null; autoRenew: boolean };
  isTest: boolean;
  isFreeTrial: boolean;
  features: Record<string, FeatureValue>;
  includedQuantities: Record<string, number>;
  /** What the buyer entered when setting up the account; null before that, and after the data was purged. */
  accountConfiguration: Record<string, unknown> | null;
  /** Cancelled subscriptions: personal data is removed after this instant. */
  dataRetainedUntil: string | null;
}

/** The offer catalog's view of an offer and plan (names, features); ids when it does not know them. */
export interface CatalogView {
  offerName: string;
  planName: string;
  features: Record<string, FeatureValue>;
  includedQuantities: Record<string, number>;
}

export function catalogView(offerId: string, planId: string): CatalogView {
  const { features, includedQuantities } = planEntitlements(offerId, planId);
  return {
    offerName: describeOffer(offerId).displayName,
    planName: describePlan(offerId, planId).displayName,
    features,
    includedQuantities,
  };
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function entitlementOf(subscription: Subscription, catalog = catalogView): Entitlement {
  const view = catalog(subscription.offerId, subscription.planId);
  const config = subscription.accountConfig;
  return {
    subscriptionId: subscription.id,
    name: subscription.name,
    tenantId: subscription.beneficiaryTenantId,
    purchaserTenantId: subscription.purchaserTenantId,
    offer: { id: subscription.offerId, name: view.offerName },
    plan: { id: subscription.planId, name: view.planName },
    seats: subscription.quantity,
    status: subscription.status,
    setupState: subscription.setupState,
    activatedBy: subscription.activatedBy,
    term: {
      unit: subscription.termUnit,
      startDate: iso(subscription.termStartDate),
      endDate: iso(subscription.termEndDate),
      autoRenew: subscription.autoRenew,
    },
    isTest: subscription.isTest,
    isFreeTrial: subscription.isFreeTrial,
    features: view.features,
    includedQuantities: view.includedQuantities,
    accountConfiguration: config !== null && typeof config === "object" && !Array.isArray(config) ? config : null,
    dataRetainedUntil: iso(subscription.dataRetainedUntil),
  };
}
