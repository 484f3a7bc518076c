import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError, fromMarketplaceError } from "../errors";
import { logger } from "../logger";
import { marketplace } from "../marketplace";
import type { AccountConfig } from "./account-config";
import { isPartyToSubscription } from "./ownership";
import { syncSubscription } from "./sync-subscription";

export type ActivationResult =
  | { outcome: "activated"; subscriptionId: string }
  | { outcome: "already_active"; subscriptionId: string }
  /** Microsoft accepted the activation but still reports PendingFulfillmentStart (it is asynchronous, §6.2). */
  | { outcome: "processing"; subscriptionId: string };

/**
 * Landing page, step "activate". Retry-safe: a double-click, a refresh or a retry after a network
 * error all converge — Activate is idempotent at Microsoft, and the local transition is conditional
 * so only one audit row is written. The account configuration is saved first, so nothing the buyer
 * typed is lost when Microsoft is unavailable.
 */
export async function activateSubscription(options: { subscriptionId: string; accountConfig: AccountConfig; actor: Actor }): Promise<ActivationResult> {
  const { subscriptionId, actor } = options;
  const subscription = await db().subscription.findUnique({ where: { id: subscriptionId } });
  // Unknown and not-yours look the same from outside: no one learns about others' subscriptions.
  if (!subscription || !isPartyToSubscription(actor, subscription)) throw new AppError("not_owner");
  if (subscription.status === "Subscribed") return { outcome: "already_active", subscriptionId };
  if (subscription.status !== "PendingFulfillmentStart") {
    throw new AppError("not_activatable", { message: subscription.status === "Suspended"
      ? "This subscription is suspended by Microsoft, usually because of a payment problem. Once the payment is settled in the Azure portal it is reinstated automatically."
      : "This subscription has been cancelled. Buy the offer again from the marketplace to start a new subscription." });
  }

  const auditActor = { actorType: "user" as const, actorTid: actor.tid, actorOid: actor.oid };
  const operationId = randomUUID();
  await db().$transaction(async (tx) => {
    await tx.tenant.upsert({ where: { id: actor.tid }, create: { id: actor.tid }, update: {} });
    await tx.subscription.update({
      where: { id: subscriptionId },
      data: { accountConfig: options.accountConfig, ownerTenantId: actor.tid, ownerUserOid: actor.oid, activationRequestedAt: new Date() },
    });
    await tx.operation.create({
      data: { id: operationId, subscriptionId, action: "Activate", status: "InProgress", source: "Customer", requestedPlanId: subscription.planId, requestedQuantity: subscription.quantity, actorTid: actor.tid, actorOid: actor.oid },
    });
    await tx.auditEvent.create({ data: { subscriptionId, ...auditActor, action: "account_configured", detail: { companyName: options.accountConfig.companyName } } });
  });

  const client = marketplace();
  try {
    await client.activateSubscription(subscriptionId, { planId: subscription.planId, ...(subscription.quantity ? { quantity: subscription.quantity } : {}) }, { correlationId: operationId });
  } catch (error) {
    const appError = fromMarketplaceError(error, "activate");
    await db().$transaction([
      db().operation.update({ where: { id: operationId }, data: { status: "Failed", errorMessage: error instanceof Error ? error.message : String(error), completedAt: new Date() } }),
      db().auditEvent.create({ data: { subscriptionId, ...auditActor, action: "activation_failed", detail: { reason: appError.code, reference: operationId } } }),
    ]);
    logger.warn("activation failed", { subscriptionId, reference: operationId, error });
    throw new AppError(appError.code, { reference: operationId, cause: error });
  }

  // Activate only says "accepted": read back Microsoft's status (the source of truth).
  const remote = await client.getSubscription(subscriptionId, { correlationId: operationId }).catch((error: unknown) => {
    logger.warn("could not read the subscription back after activation", { subscriptionId, error });
    return undefined;
  });
  const row = await db().$transaction(async (tx) => {
    await tx.operation.update({ where: { id: operationId }, data: { status: "Succeeded", completedAt: new Date() } });
    return remote ? syncSubscription(tx, { subscription: remote, actor: auditActor, reason: "activation", transitionAction: "activated" }) : tx.subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
  });
  return { outcome: row.status === "Subscribed" ? "activated" : "processing", subscriptionId };
}
