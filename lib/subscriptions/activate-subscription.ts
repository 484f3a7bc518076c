import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import type { Locale } from "../i18n/locales";
import { companyNameOf, validateAccountConfig, type AccountConfigInput } from "./account-config";
import { followActivationLater } from "../operations/follow-activation";
import { callActivate } from "./call-activate";
import { completeSetup } from "./complete-setup";
import { isPartyToSubscription } from "./ownership";
import { recordAudit } from "../audit/record-audit";
import { lockSubscription } from "./lock-subscription";

export type ActivationResult =
  | { outcome: "activated"; subscriptionId: string }
  | { outcome: "already_active"; subscriptionId: string }
  /** Microsoft accepted the activation but still reports PendingFulfillmentStart (it is asynchronous, marketplace-contract.md §6.2). */
  | { outcome: "processing"; subscriptionId: string };

/**
 * Landing page, step "activate". Retry-safe: a double-click, a refresh or a retry after a network
 * error all converge — Activate goes out again only after a read shows Microsoft still waiting for
 * it, a 400 to a repeat is read as "already activated" (send-activate.ts), and the local transition
 * is conditional so only one audit row is written. The account configuration is saved first, so nothing the buyer
 * typed is lost when Microsoft is unavailable.
 */
export async function activateSubscription(options: {
  subscriptionId: string;
  /** What the buyer typed: checked against the catalog's fields for the subscription's plan. */
  accountConfig: AccountConfigInput;
  actor: Actor;
  /** The buyer's language, for what is wrong with the input (English when not given). */
  locale?: Locale;
}): Promise<ActivationResult> {
  const { subscriptionId, actor } = options;
  const subscription = await db().subscription.findUnique({ where: { id: subscriptionId } });
  // Unknown and not-yours look the same from outside: no one learns about others' subscriptions.
  if (!subscription || !isPartyToSubscription(actor, subscription)) throw new AppError("not_owner");
  if (subscription.status === "Subscribed") {
    // Already live (Microsoft activated it, docs/decisions/0008) while the buyer held the activation
    // form: what they typed still finishes the setup, and Activate is not called.
    if (subscription.setupState === "pending") await completeSetup(options);
    return { outcome: "already_active", subscriptionId };
  }
  if (subscription.status !== "PendingFulfillmentStart") {
    throw new AppError("not_activatable", {
      reason: subscription.status === "Suspended" ? "activateSuspended" : "activateCancelled",
    });
  }

  // Bad input is refused before anything is written or sent to Microsoft.
  const accountConfig = validateAccountConfig(subscription, options.accountConfig, options.locale);
  const auditActor = { actorType: "user" as const, actorTid: actor.tid, actorOid: actor.oid };
  // An activation still open (Microsoft did not answer, or is processing it) is continued, not doubled.
  const open = await db().operation.findFirst({
    where: { subscriptionId, action: "Activate", status: "InProgress" },
    orderBy: { createdAt: "desc" },
  });
  const operationId = open?.id ?? randomUUID();
  await db().$transaction(async (tx) => {
    await lockSubscription(tx, subscriptionId);
    await tx.tenant.upsert({ where: { id: actor.tid }, create: { id: actor.tid }, update: {} });
    await tx.subscription.update({
      where: { id: subscriptionId },
      data: {
        accountConfig,
        ownerTenantId: actor.tid,
        ownerUserOid: actor.oid,
        activationRequestedAt: new Date(),
      },
    });
    if (!open) {
      await tx.operation.create({
        data: {
          id: operationId,
          subscriptionId,
          action: "Activate",
          status: "InProgress",
          source: "Customer",
          requestedPlanId: subscription.planId,
          requestedQuantity: subscription.quantity,
          actorTid: actor.tid,
          actorOid: actor.oid,
        },
      });
    }
    await recordAudit(tx, {
      subscriptionId,
      actor: auditActor,
      action: "account_configured",
      detail: { companyName: companyNameOf(accountConfig) },
    });
    await followActivationLater(tx, operationId);
  });

  const row = await callActivate({ subscription, operationId, actor: auditActor, reason: "activation" });
  return { outcome: row.status === "Subscribed" ? "activated" : "processing", subscriptionId };
}
