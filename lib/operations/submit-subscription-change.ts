import "server-only";
import { z } from "zod";
import { defineJob } from "../jobs/define-job";
import { db } from "../db";
import { logger } from "../logger";
import { isMarketplaceError, marketplace, type AcceptedOperation } from "../marketplace";
import type { Operation } from "../generated/prisma/client";
import { adoptMarketplaceOperation } from "./adopt-marketplace-operation";
import { confirmAfterUnknownOutcome, failRequestedChange, settleRequestedAsApplied } from "./confirm-submitted-change";
import { showsChange } from "./find-submitted-change";
import { readSubscription } from "../subscriptions/read-subscription";

/** Written with the customer's change (record-subscription-change.ts): one per change. */
export const submitSubscriptionChangeJob = defineJob({
  name: "submit-subscription-change",
  payload: z.object({ operationId: z.string() }),
  key: (payload) => payload.operationId,
  retry: { limit: 5, delaySeconds: 1, backoff: true },
  expireInSeconds: 60,
  run: (payload, context) => submitSubscriptionChange({ ...payload, attempt: context.retryCount + 1 }),
});

/** A 409 means another operation still holds the subscription at Microsoft: worth a few retries. */
const CONFLICT_RETRIES = 4;

/**
 * Sends a customer's recorded change to Microsoft (PATCH or DELETE, marketplace-contract.md §6.6–6.8) — at most once.
 * PATCH/DELETE are not idempotent (§3.3, §10.3): the operation is marked `submittedAt` before the
 * call, and whenever the call may have reached Microsoft without us learning the answer (timeout,
 * lost connection, 5xx, a crash after the 202), it is never sent again: Microsoft is asked what
 * happened instead (confirm-submitted-change). On 202 the operation is followed; a refusal
 * (400/403/404, or 409 after retries) ends it Failed with Microsoft's reason.
 */
export async function submitSubscriptionChange(options: { operationId: string; attempt?: number }): Promise<void> {
  const operation = await db().operation.findUnique({ where: { id: options.operationId } });
  if (!operation || operation.status !== "Requested") return;
  if (operation.submittedAt) {
    // An earlier attempt went out (the process died before recording the answer): ask, don't resend.
    await confirmAfterUnknownOutcome(operation);
    return;
  }
  // Exactly one sender, and never one for a request that expired meanwhile (expire-stale-changes).
  const claimed = await db().operation.updateMany({
    where: { id: operation.id, status: "Requested", submittedAt: null },
    data: { submittedAt: new Date() },
  });
  if (claimed.count === 0) return;

  let accepted: AcceptedOperation;
  try {
    accepted = await send(operation);
  } catch (error) {
    if (isMarketplaceError(error) && error.mayHaveTakenEffect) {
      logger.warn(
        "a subscription change may have reached Microsoft without an answer; asking Microsoft before anything else",
        { operationId: operation.id, error: error.message },
      );
      await confirmAfterUnknownOutcome(operation);
      return;
    }
    // Microsoft certainly did not take it: it may be sent again.
    await db().operation.update({ where: { id: operation.id }, data: { submittedAt: null } });
    await handleRefusal(operation, error, options.attempt ?? 1);
    return;
  }
  if (accepted.operationId)
    await adoptMarketplaceOperation(operation, accepted.operationId, { operationLocation: accepted.operationLocation });
  else await confirmAfterUnknownOutcome(operation); // accepted, but which operation? Microsoft's list tells.
}

function send(operation: Operation): Promise<AcceptedOperation> {
  const client = marketplace();
  const options = { correlationId: operation.id };
  if (operation.action === "ChangePlan" && operation.requestedPlanId)
    return client.changePlan(operation.subscriptionId, operation.requestedPlanId, options);
  if (operation.action === "ChangeQuantity" && operation.requestedQuantity !== null)
    return client.changeQuantity(operation.subscriptionId, operation.requestedQuantity, options);
  return client.deleteSubscription(operation.subscriptionId, options);
}

async function handleRefusal(operation: Operation, error: unknown, attempt: number): Promise<void> {
  if (!isMarketplaceError(error)) throw error;
  if (error.kind === "conflict" && attempt < CONFLICT_RETRIES) {
    logger.warn("change locked by another operation at Microsoft; retrying", { operationId: operation.id, attempt });
    throw error; // the job queue retries with backoff
  }
  if (error.kind === "bad_request") {
    // "Already has 15 seats" / "already on that plan": the change may already be Microsoft's state.
    const snapshot = await readSubscription(operation.subscriptionId, { correlationId: operation.id }).catch(
      () => undefined,
    );
    if (snapshot && showsChange(operation, snapshot)) {
      await settleRequestedAsApplied(operation, snapshot, "Microsoft's subscription already shows this change.");
      return;
    }
  }
  if (
    error.kind === "bad_request" ||
    error.kind === "conflict" ||
    error.kind === "not_found" ||
    error.kind === "forbidden"
  ) {
    const reason =
      error.kind === "conflict"
        ? "Microsoft is still processing another change on this subscription; wait a few minutes."
        : `Microsoft refused the change${error.detail ? `: ${error.detail}` : "."}`;
    await failRequestedChange(operation, reason);
    logger.warn("Microsoft refused a subscription change", {
      operationId: operation.id,
      action: operation.action,
      reason,
    });
    return;
  }
  throw error; // throttled, unreachable before sending, token trouble: the job queue retries
}
