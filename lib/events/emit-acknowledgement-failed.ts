/**
 * `marketplace.acknowledgement_failed`: the portal's answer to an operation Microsoft asked about
 * (a plan or seat change, a reinstatement) did not take — Microsoft had already settled it
 * otherwise, no longer knew it, or every attempt to send it failed. The product learns that what
 * it may have been told (or decided, through the publisher policy's hook) is not what holds;
 * `data.subscription` shows what does.
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { logger } from "../logger";
import { emitEvent } from "./emit-event";

export interface FailedAcknowledgement {
  subscriptionId: string;
  /** Microsoft's operation id. */
  operationId: string;
  /** What the portal answered: Success (accept) or Failure (refuse). */
  answer: "Success" | "Failure";
  /** not_applied (Microsoft settled it otherwise), unknown_operation, or not_delivered (every attempt failed). */
  outcome: "not_applied" | "unknown_operation" | "not_delivered";
  /** Microsoft's status of the operation, when known. */
  microsoftStatus: string | null;
  reason: string;
}

export async function emitAcknowledgementFailed(
  tx: Prisma.TransactionClient,
  failure: FailedAcknowledgement,
): Promise<void> {
  const known = await tx.subscription.findUnique({ where: { id: failure.subscriptionId }, select: { id: true } });
  if (!known) {
    logger.warn("failed acknowledgement for a subscription the portal does not know; no event", {
      subscriptionId: failure.subscriptionId,
      operationId: failure.operationId,
    });
    return;
  }
  await emitEvent(tx, {
    type: "marketplace.acknowledgement_failed",
    subscriptionId: failure.subscriptionId,
    data: {
      acknowledgement: {
        operationId: failure.operationId,
        answer: failure.answer,
        outcome: failure.outcome,
        microsoftStatus: failure.microsoftStatus,
        reason: failure.reason,
      },
    },
  });
}
