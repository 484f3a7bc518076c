import "server-only";
import type { Prisma } from "../generated/prisma/client";

/**
 * Takes the subscription's row lock for the rest of the transaction (nothing if the row does not
 * exist yet). The lock-order rule: a transaction that changes a subscription or anything of it
 * (its operations, webhook events, audit rows) takes this lock **before any other write**. Two
 * transactions on one subscription then queue on the same row instead of each holding what the
 * other wants next (an operation row here, the subscription there), which PostgreSQL ends by
 * killing one of them ("deadlock detected"). Taking it again in the same transaction is free.
 */
export async function lockSubscription(tx: Prisma.TransactionClient, subscriptionId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM "Subscription" WHERE id = ${subscriptionId} FOR UPDATE`;
}
