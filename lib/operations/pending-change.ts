import type { OperationStatus, Prisma } from "../generated/prisma/client";

/** Operation states that still lock the subscription against another change (one at a time, marketplace-contract.md §6.6). */
export const PENDING_STATUSES: OperationStatus[] = ["Requested", "NotStarted", "InProgress"];

/** A change in progress (any operation but the activation that is not final yet); without an id, for a relation filter. */
export const pendingChangeWhere = (subscriptionId?: string): Prisma.OperationWhereInput => ({
  ...(subscriptionId ? { subscriptionId } : {}),
  status: { in: PENDING_STATUSES },
  action: { not: "Activate" },
});
