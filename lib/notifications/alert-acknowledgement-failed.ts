/**
 * The publisher's `acknowledgement_failed` alert: the portal's answer to a change Microsoft asked
 * about was not taken (lib/operations/acknowledge-operation.ts), written with the failure's
 * record. Once per operation and outcome.
 */
import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { alertPublisher } from "./alert-publisher";
import { subscriptionFactsOf } from "./subscription-facts";

export async function alertAcknowledgementFailed(
  tx: Prisma.TransactionClient,
  failure: {
    subscriptionId: string;
    operationId: string;
    answer: string;
    outcome: string;
    microsoftStatus: string | null;
    reason: string;
  },
): Promise<void> {
  const subscription = await tx.subscription.findUnique({ where: { id: failure.subscriptionId } });
  if (!subscription) return;
  await alertPublisher(tx, {
    kind: "acknowledgement_failed",
    cause: `acknowledgement:${failure.operationId}:${failure.outcome}`,
    subscriptionId: failure.subscriptionId,
    data: {
      ...subscriptionFactsOf(subscription),
      operationId: failure.operationId,
      answer: failure.answer,
      outcome: failure.outcome,
      microsoftStatus: failure.microsoftStatus,
      reason: failure.reason,
    },
  });
}
