import "server-only";
import type { Actor } from "../auth/actor";
import { db } from "../db";
import { AppError } from "../errors";
import type { Locale } from "../i18n/locales";
import { companyNameOf, validateAccountConfig, type AccountConfigInput } from "./account-config";
import { isPartyToSubscription } from "./ownership";
import { recordAudit } from "../audit/record-audit";
import { announceSubscriptionChange } from "./subscription-events";
import { lockSubscription } from "./lock-subscription";

export type SetupResult =
  | { outcome: "completed"; subscriptionId: string }
  /** Already set up (a double submit, a retry, or another party finished it first): nothing changed. */
  | { outcome: "already_complete"; subscriptionId: string };

/**
 * Finishes the account setup of a subscription that is already live (auto-activated: Microsoft
 * made it `Subscribed` at purchase, docs/decisions/0008): saves the account configuration and
 * marks the setup complete, with an audit row and the `subscription.setup_completed` event. No
 * call to Microsoft, and never Activate.
 *
 * Retry-safe: the update is conditional on the setup still being pending, so a double submit or
 * a retry after a lost answer completes it once (one audit row) and the second answer is
 * "already complete". Only the purchaser or the beneficiary (by tid + oid) may do it, as on the
 * landing page; the one who does becomes the subscription's owner on our side.
 */
export async function completeSetup(options: {
  subscriptionId: string;
  /** What the buyer typed: checked against the catalog's fields for the subscription's plan. */
  accountConfig: AccountConfigInput;
  actor: Actor;
  /** The buyer's language, for what is wrong with the input (English when not given). */
  locale?: Locale;
}): Promise<SetupResult> {
  const { subscriptionId, actor } = options;
  const subscription = await db().subscription.findUnique({ where: { id: subscriptionId } });
  // Unknown and not-yours look the same from outside.
  if (!subscription || !isPartyToSubscription(actor, subscription)) throw new AppError("not_owner");
  if (subscription.setupState === "complete") return { outcome: "already_complete", subscriptionId };
  if (subscription.status !== "Subscribed") throw notPossible(subscription.status);
  // Bad input is refused before anything is written.
  const accountConfig = validateAccountConfig(subscription, options.accountConfig, options.locale);

  const completed = await db().$transaction(async (tx) => {
    await lockSubscription(tx, subscriptionId);
    await tx.tenant.upsert({ where: { id: actor.tid }, create: { id: actor.tid }, update: {} });
    const before = await tx.subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
    const [after] = await tx.subscription.updateManyAndReturn({
      where: { id: subscriptionId, status: "Subscribed", setupState: "pending" },
      data: {
        accountConfig,
        ownerTenantId: actor.tid,
        ownerUserOid: actor.oid,
        setupState: "complete",
        setupCompletedAt: new Date(),
      },
    });
    if (!after) return false;
    await recordAudit(tx, {
      subscriptionId,
      actor: { actorType: "user", actorTid: actor.tid, actorOid: actor.oid },
      action: "setup_completed",
      detail: { companyName: companyNameOf(accountConfig), activatedBy: subscription.activatedBy },
    });
    await announceSubscriptionChange(tx, before, after);
    return true;
  });
  if (completed) return { outcome: "completed", subscriptionId };
  // Lost a race: someone finished it first (fine), or the status moved meanwhile (say why).
  const now = await db().subscription.findUniqueOrThrow({ where: { id: subscriptionId } });
  if (now.setupState === "complete") return { outcome: "already_complete", subscriptionId };
  throw notPossible(now.status);
}

function notPossible(status: string) {
  return new AppError("setup_not_possible", {
    reason:
      status === "PendingFulfillmentStart" || status === "NotStarted"
        ? "setupAwaitsActivation"
        : status === "Suspended"
          ? "setupSuspended"
          : "setupCancelled",
  });
}
