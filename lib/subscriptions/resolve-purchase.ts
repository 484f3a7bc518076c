import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor";
import { describeOffer, describePlan as catalogPlanName, type OfferDescription } from "../catalog";
import { db } from "../db";
import { AppError, fromMarketplaceError } from "../errors";
import type { Subscription } from "../generated/prisma/client";
import { logger } from "../logger";
import { marketplace, type Plan } from "../marketplace";
import { availablePlans } from "./available-plans";
import { isPartyToSubscription } from "./ownership";
import { syncSubscription } from "./sync-subscription";
import { tenantSignInOffers } from "./tenant-sign-in-offers";

export interface PurchaseView {
  subscriptionId: string;
  subscriptionName: string;
  offerId: string;
  /** The offer's name, description, logo and links from the catalog (its id when the catalog does not list it). */
  offer: OfferDescription;
  status: "NotStarted" | "PendingFulfillmentStart" | "Subscribed" | "Suspended" | "Unsubscribed";
  plan: {
    id: string;
    name: string;
    description?: string | null;
    isPricePerSeat: boolean;
    minQuantity?: number | null;
    maxQuantity?: number | null;
  };
  quantity: number | null;
  term: { unit: string | null; chargeDuration: string | null; start: Date | null; end: Date | null };
  autoRenew: boolean;
  isTest: boolean;
  isFreeTrial: boolean;
  isCsp: boolean;
  purchaser: { email: string | null; tenantId: string | null };
  beneficiary: { email: string | null; tenantId: string | null };
  accountConfig: Record<string, unknown> | null;
  activationRequestedAt: Date | null;
  /**
   * Unsubscribed without ever having been live: Microsoft ended the purchase while it waited for
   * activation (it expired, or was cancelled before activation, marketplace-contract.md §15.10).
   */
  endedBeforeActivation: boolean;
  /** Who made it live (null while it waits for activation) and whether the account is set up (docs/decisions/0008). */
  activatedBy: "portal" | "marketplace" | null;
  setupState: "pending" | "complete";
}

/**
 * Landing page, step "resolve": turns the purchase token into the subscription, server-side with
 * the fulfillment app's token. Only the purchaser or the beneficiary (by tid + oid) may continue;
 * for anyone else nothing is written. The subscription is recorded (or refreshed) with an audit row.
 */
export async function resolvePurchase(options: { token: string; actor: Actor }): Promise<PurchaseView> {
  const correlationId = randomUUID();
  const client = marketplace();
  const readAt = new Date();
  const resolved = await client.resolveSubscription(options.token, { correlationId }).catch((error: unknown) => {
    throw fromMarketplaceError(error, "resolve");
  });
  const remote = resolved.subscription;
  const existing = await db().subscription.findUnique({
    where: { id: remote.id },
    select: { ownerTenantId: true, ownerUserOid: true },
  });
  const parties = {
    beneficiaryTenantId: remote.beneficiary?.tenantId ?? null,
    beneficiaryObjectId: remote.beneficiary?.objectId ?? null,
    purchaserTenantId: remote.purchaser?.tenantId ?? null,
    purchaserObjectId: remote.purchaser?.objectId ?? null,
    ownerTenantId: existing?.ownerTenantId,
    ownerUserOid: existing?.ownerUserOid,
  };
  if (!isPartyToSubscription(options.actor, parties)) {
    logger.warn("landing page: signed-in user is not a party to the subscription", {
      subscriptionId: remote.id,
      actorTid: options.actor.tid,
      actorOid: options.actor.oid,
    });
    throw new AppError("not_owner", { tenantHints: tenantSignInOffers(options.actor, remote) });
  }

  const row = await db().$transaction((tx) =>
    syncSubscription(tx, {
      snapshot: { subscription: remote, readAt },
      actor: { actorType: "user", actorTid: options.actor.tid, actorOid: options.actor.oid },
      reason: "landing page resolve",
    }),
  );
  // After the row is written: the list is cached for the row as stored (available-plans.ts).
  const plan = await describePlan(row, remote.planId);

  return {
    subscriptionId: row.id,
    subscriptionName: resolved.subscriptionName ?? row.name,
    offerId: row.offerId,
    offer: describeOffer(row.offerId),
    status: row.status,
    plan,
    quantity: row.quantity,
    term: {
      unit: row.termUnit,
      chargeDuration: row.termChargeDuration,
      start: row.termStartDate,
      end: row.termEndDate,
    },
    autoRenew: row.autoRenew,
    isTest: row.isTest,
    isFreeTrial: row.isFreeTrial,
    isCsp:
      row.sandboxType === "Csp" ||
      (row.purchaserTenantId !== null && row.purchaserTenantId !== row.beneficiaryTenantId),
    purchaser: { email: row.purchaserEmail, tenantId: row.purchaserTenantId },
    beneficiary: { email: row.beneficiaryEmail, tenantId: row.beneficiaryTenantId },
    accountConfig: (row.accountConfig as Record<string, unknown> | null) ?? null,
    activationRequestedAt: row.activationRequestedAt,
    activatedBy: row.activatedBy,
    setupState: row.setupState,
    endedBeforeActivation: row.status === "Unsubscribed" && row.activatedAt === null,
  };
}

/**
 * The plan's seat limits and Microsoft's name from listAvailablePlans, through the same short cache
 * the account page and change requests use; the name the catalog gives wins. Cosmetic here, so a
 * failure falls back to the catalog's name or the plan id.
 */
async function describePlan(subscription: Subscription, planId: string): Promise<PurchaseView["plan"]> {
  let plan: Plan | undefined;
  try {
    plan = (await availablePlans(subscription)).find((candidate) => candidate.planId === planId);
  } catch (error) {
    logger.warn("listAvailablePlans failed; showing the plan id", { subscriptionId: subscription.id, error });
  }
  return {
    id: planId,
    name: catalogPlanName(subscription.offerId, planId, plan?.displayName).displayName,
    description: plan?.description,
    isPricePerSeat: plan?.isPricePerSeat ?? false,
    minQuantity: plan?.minQuantity,
    maxQuantity: plan?.maxQuantity,
  };
}
