import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/current-user";
import { db } from "../db";
import { AppError, fromMarketplaceError } from "../errors";
import { logger } from "../logger";
import { marketplace } from "../marketplace";
import { syncSubscription } from "../subscriptions/sync-subscription";
import { publisherAudit } from "./publisher-actor";

/**
 * Activates a pending subscription on the publisher's behalf (also "retry a failed activation"):
 * for a buyer who paid but never finished the landing page, or whose activation failed at
 * Microsoft. Same contract as the buyer's activation — recorded first, Activate is idempotent at
 * Microsoft, Microsoft's status read back — but without the party check and without account details.
 */
export async function activateAsPublisher(options: { subscriptionId: string; actor: Actor }) {
  const { subscriptionId, actor } = options;
  const subscription = await db().subscription.findUnique({ where: { id: subscriptionId } });
  if (!subscription) throw new AppError("subscription_unknown");
  if (subscription.status !== "PendingFulfillmentStart") {
    throw new AppError("not_activatable", { message: `Only a subscription waiting for activation can be activated; this one is ${subscription.status}. Nothing was changed.` });
  }
  const audit = publisherAudit(actor);
  const operationId = randomUUID();
  await db().$transaction([
    db().operation.create({ data: { id: operationId, subscriptionId, action: "Activate", status: "InProgress", source: "Publisher", requestedPlanId: subscription.planId, requestedQuantity: subscription.quantity, actorTid: actor.tid, actorOid: actor.oid } }),
    db().auditEvent.create({ data: { subscriptionId, ...audit, action: "publisher_activation_requested", detail: { operationId } } }),
  ]);
  const client = marketplace();
  try {
    await client.activateSubscription(subscriptionId, { planId: subscription.planId, ...(subscription.quantity ? { quantity: subscription.quantity } : {}) }, { correlationId: operationId });
  } catch (error) {
    const appError = fromMarketplaceError(error, "activate");
    await db().$transaction([
      db().operation.update({ where: { id: operationId }, data: { status: "Failed", errorMessage: error instanceof Error ? error.message : String(error), completedAt: new Date() } }),
      db().auditEvent.create({ data: { subscriptionId, ...audit, action: "activation_failed", detail: { reason: appError.code, reference: operationId } } }),
    ]);
    logger.warn("publisher activation failed", { subscriptionId, reference: operationId, error });
    throw new AppError(appError.code, { reference: operationId, cause: error });
  }
  const remote = await client.getSubscription(subscriptionId, { correlationId: operationId }).catch((error: unknown) => {
    logger.warn("could not read the subscription back after activation", { subscriptionId, error });
    return undefined;
  });
  const row = await db().$transaction(async (tx) => {
    await tx.operation.update({ where: { id: operationId }, data: { status: "Succeeded", completedAt: new Date() } });
    return remote ? syncSubscription(tx, { subscription: remote, actor: audit, reason: "publisher activation", transitionAction: "activated" }) : tx.subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
  });
  return { status: row.status };
}
