import "server-only";
import { db } from "../db";
import { isMarketplaceError, marketplace } from "../marketplace";
import { readSubscription, type SubscriptionSnapshot } from "./read-subscription";

/** What became of one attempt to send an open activation's Activate call. */
export type ActivateAttempt =
  /** Microsoft answered 200 (or already had it: `acceptedAt` was set); the subscription is to be read back. */
  | { outcome: "accepted" }
  /** A read shows the subscription no longer `PendingFulfillmentStart`: settle from it; nothing more is sent. */
  | { outcome: "read"; snapshot: SubscriptionSnapshot }
  /**
   * No usable answer (timeout, connection lost, 5xx), another sender went first, or Microsoft could
   * not be read: the activation stays open and its follow-up reads before anything else.
   */
  | { outcome: "unknown"; error?: unknown }
  /** A repeat refused (400) while Microsoft still shows it pending: Microsoft holds it; only read from now on. */
  | { outcome: "held" }
  /**
   * Microsoft certainly did not take this call (400 to a first attempt, 403, 409, 429, nothing sent).
   * `earlier`: an earlier Activate of ours may still have reached it, so the activation is not over.
   */
  | { outcome: "refused"; error: unknown; earlier: boolean };

const PENDING = "PendingFulfillmentStart";

/**
 * Sends Activate for an open activation (marketplace-contract.md §6.2) — never blindly a second time.
 * Microsoft's idempotence of Activate is unverified (§10.3, §15.25), so once an Activate of ours may
 * have reached Microsoft (an open activation with `submittedAt`), Get Subscription comes first and
 * Activate goes out again only while it shows `PendingFulfillmentStart` (`pendingRead`: the caller has
 * just read that). One sender at a time: `submittedAt` is claimed with a conditional update.
 *
 * Whatever Activate answers, a failure that may hide an activation — no usable answer, or a 400/404,
 * which a service that is not idempotent gives to a repeat — is followed by a read: live or ended at
 * Microsoft settles it; a 400 to a repeat while still pending means Microsoft holds it (`held`).
 */
export async function sendActivate(options: { operationId: string; pendingRead?: boolean }): Promise<ActivateAttempt> {
  const operation = await db().operation.findUniqueOrThrow({ where: { id: options.operationId } });
  if (operation.acceptedAt) return { outcome: "accepted" };
  if (operation.status !== "InProgress") return { outcome: "unknown" };
  const correlationId = operation.id;
  const read = () => readSubscription(operation.subscriptionId, { correlationId }).catch(() => undefined);

  const earlier =
    (await db().operation.count({
      where: {
        subscriptionId: operation.subscriptionId,
        action: "Activate",
        status: "InProgress",
        submittedAt: { not: null },
      },
    })) > 0;
  if (earlier && !options.pendingRead) {
    const snapshot = await read();
    if (!snapshot) return { outcome: "unknown" }; // never sent blind
    if (snapshot.subscription.saasSubscriptionStatus !== PENDING) return { outcome: "read", snapshot };
  }

  const sentAt = new Date();
  const claimed = await db().operation.updateMany({
    where: { id: operation.id, status: "InProgress", acceptedAt: null, submittedAt: operation.submittedAt },
    data: { submittedAt: sentAt },
  });
  if (claimed.count === 0) return { outcome: "unknown" }; // another sender went first
  // Microsoft certainly did not take this call: the operation is as before it was claimed.
  const unclaim = () =>
    db().operation.updateMany({
      where: { id: operation.id, submittedAt: sentAt },
      data: { submittedAt: operation.submittedAt },
    });

  const subscription = await db().subscription.findUniqueOrThrow({ where: { id: operation.subscriptionId } });
  const quantity = operation.requestedQuantity ?? subscription.quantity;
  try {
    await marketplace().activateSubscription(
      subscription.id,
      { planId: operation.requestedPlanId ?? subscription.planId, ...(quantity ? { quantity } : {}) },
      { correlationId },
    );
  } catch (error) {
    const ambiguous = !isMarketplaceError(error) || error.mayHaveTakenEffect;
    const refusal = isMarketplaceError(error) && (error.kind === "bad_request" || error.kind === "not_found");
    if (!ambiguous && !refusal) {
      await unclaim();
      return { outcome: "refused", error, earlier };
    }
    const snapshot = await read();
    if (snapshot && snapshot.subscription.saasSubscriptionStatus !== PENDING) return { outcome: "read", snapshot };
    if (ambiguous || (earlier && !snapshot)) return { outcome: "unknown", error };
    if (earlier) {
      await db().operation.update({ where: { id: operation.id }, data: { acceptedAt: new Date() } });
      return { outcome: "held" };
    }
    await unclaim();
    return { outcome: "refused", error, earlier };
  }
  await db().operation.update({ where: { id: operation.id }, data: { acceptedAt: new Date() } });
  return { outcome: "accepted" };
}
