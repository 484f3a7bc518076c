import "server-only";
import { db } from "../db";
import { AppError, fromMarketplaceError } from "../errors";
import type { Subscription } from "../generated/prisma/client";
import { logger } from "../logger";
import { wakeWorkers } from "../jobs/wake";
import { followActivationLater } from "../operations/follow-activation";
import { applyActivationRead } from "./apply-activation-read";
import { readSubscription, type SubscriptionSnapshot } from "./read-subscription";
import { sendActivate } from "./send-activate";
import type { AuditActor } from "../audit/record-audit";
import { recordAudit } from "../audit/record-audit";

/** Brings the follow-up forward: Microsoft is still processing the activation, look again soon. */
async function followSoon(operationId: string) {
  await followActivationLater(db(), operationId, { soon: true });
  wakeWorkers();
}

/**
 * The Microsoft half of an activation, shared by the buyer's landing page and the publisher's
 * console. The caller has recorded an `Activate` operation (`operationId`, also the correlation
 * id) together with its follow-up (followActivationLater). Activate goes out through sendActivate,
 * which never repeats it blindly (marketplace-contract.md §10.3, §15.25):
 * - accepted: Microsoft's status is read back (Activate only says "accepted", §6.2) and applied
 *   through the state machine; while it is still pending, the follow-up job takes over;
 * - Microsoft shows it live (whatever Activate answered, e.g. a 400 to a repeat): settled as activated;
 * - no usable answer (timeout, lost connection, 5xx) while it still looks pending, or a repeat
 *   refused while pending: nothing is marked failed; the follow-up job reads Microsoft first;
 * - refused (a first attempt's 4xx, 429 after retries, nothing sent): the operation ends Failed
 *   with an audit row and the error surfaces as an AppError with the reference — unless an earlier
 *   Activate may still have reached Microsoft, in which case the activation stays open.
 */
export async function callActivate(options: {
  subscription: Subscription;
  operationId: string;
  actor: AuditActor;
  reason: string;
}): Promise<Subscription> {
  const { subscription, operationId, actor } = options;
  const attempt = await sendActivate({ operationId });
  switch (attempt.outcome) {
    case "accepted":
      return applyRead(
        await readSubscription(subscription.id, { correlationId: operationId }).catch((error: unknown) => {
          logger.warn("could not read the subscription back after activation", {
            subscriptionId: subscription.id,
            error,
          });
          return undefined;
        }),
      );
    case "read":
      return applyRead(attempt.snapshot);
    case "unknown":
    case "held":
      logger.warn(
        attempt.outcome === "unknown"
          ? `${options.reason}: no usable answer from Microsoft; the follow-up job confirms it`
          : `${options.reason}: Microsoft refused a repeated Activate while still showing it pending; the follow-up job confirms it`,
        {
          subscriptionId: subscription.id,
          reference: operationId,
          outcome: attempt.outcome,
          ...(attempt.outcome === "unknown" && attempt.error instanceof Error ? { error: attempt.error.message } : {}),
        },
      );
      await followSoon(operationId);
      return db().subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    case "refused":
      return refuse(attempt.error, attempt.earlier);
  }

  // Activation is asynchronous (§6.2): while Microsoft still reports PendingFulfillmentStart (or could
  // not be read), the operation stays open and the follow-up job watches it until Microsoft settles.
  async function applyRead(snapshot: SubscriptionSnapshot | undefined): Promise<Subscription> {
    if (!snapshot) {
      await followSoon(operationId);
      return db().subscription.findUniqueOrThrow({ where: { id: subscription.id } });
    }
    const { row, settled } = await applyActivationRead({ operationId, snapshot, actor, reason: options.reason });
    if (!settled) await followSoon(operationId);
    return row;
  }

  async function refuse(error: unknown, earlier: boolean): Promise<never> {
    const appError = fromMarketplaceError(error, "activate");
    if (earlier) {
      // This call was refused, but an earlier one may have reached Microsoft: the follow-up decides.
      logger.warn(`${options.reason}: Activate refused while an earlier one may be under way`, {
        subscriptionId: subscription.id,
        reference: operationId,
        error,
      });
      await followSoon(operationId);
      throw new AppError(appError.code, { reference: operationId, cause: error });
    }
    await db().$transaction([
      db().operation.update({
        where: { id: operationId },
        data: {
          status: "Failed",
          errorMessage: error instanceof Error ? error.message : String(error),
          completedAt: new Date(),
        },
      }),
      recordAudit(db(), {
        subscriptionId: subscription.id,
        actor: actor,
        action: "activation_failed",
        detail: { reason: appError.code, reference: operationId },
      }),
    ]);
    logger.warn(`${options.reason} failed`, { subscriptionId: subscription.id, reference: operationId, error });
    throw new AppError(appError.code, { reference: operationId, cause: error });
  }
}
