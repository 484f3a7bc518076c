import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import { followActivationLater } from "../operations/follow-activation";
import { callActivate } from "../subscriptions/call-activate";
import { publisherAudit } from "./publisher-actor";
import { recordAudit } from "../audit/record-audit";
import { lockSubscription } from "../subscriptions/lock-subscription";

/**
 * Activates a pending subscription on the publisher's behalf (also "retry a failed activation"):
 * for a buyer who paid but never finished the landing page, or whose activation failed at
 * Microsoft. Same contract as the buyer's activation — recorded first, Activate never repeated
 * without a read first (send-activate.ts), Microsoft's status read back — but without the party
 * check and without account details.
 */
export async function activateAsPublisher(options: { subscriptionId: string; actor: Actor }) {
  const { subscriptionId, actor } = options;
  const subscription = await db().subscription.findUnique({ where: { id: subscriptionId } });
  if (!subscription) throw new AppError("subscription_unknown");
  if (subscription.status !== "PendingFulfillmentStart") {
    throw new AppError("not_activatable", {
      message: `Only a subscription waiting for activation can be activated; this one is ${subscription.status}. Nothing was changed.`,
    });
  }
  const audit = publisherAudit(actor);
  const operationId = randomUUID();
  await db().$transaction(async (tx) => {
    await lockSubscription(tx, subscriptionId);
    await tx.operation.create({
      data: {
        id: operationId,
        subscriptionId,
        action: "Activate",
        status: "InProgress",
        source: "Publisher",
        requestedPlanId: subscription.planId,
        requestedQuantity: subscription.quantity,
        actorTid: actor.tid,
        actorOid: actor.oid,
      },
    });
    await recordAudit(tx, {
      subscriptionId,
      actor: audit,
      action: "publisher_activation_requested",
      detail: { operationId },
    });
    await followActivationLater(tx, operationId);
  });
  const row = await callActivate({ subscription, operationId, actor: audit, reason: "publisher activation" });
  return { status: row.status };
}
