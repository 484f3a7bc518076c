import "server-only";
import type { OperationAction, OperationSource, OperationStatus, Prisma } from "../generated/prisma/client";
import { isSameChange } from "./find-submitted-change";

export interface MarketplaceOperationRecord {
  marketplaceOperationId: string;
  subscriptionId: string;
  action: OperationAction;
  status: OperationStatus;
  source: OperationSource;
  requestedPlanId?: string | null;
  requestedQuantity?: number | null;
}

/**
 * Our row for one of Microsoft's operations. A change our customer asked for already has a row
 * (found by Microsoft's id once the PATCH returned it); one started on Microsoft's side gets a row
 * keyed by Microsoft's id. Either way the webhook, the poller and the acknowledgement meet here.
 *
 * A `Partner` operation whose id we do not know yet is usually the change we sent ourselves whose
 * answer has not been recorded (the webhook was faster, the answer was lost, or we crashed after
 * the 202): it is attached to that change instead of becoming a second row.
 */
export async function recordMarketplaceOperation(tx: Prisma.TransactionClient, record: MarketplaceOperationRecord) {
  const existing = await tx.operation.findFirst({
    where: { OR: [{ marketplaceOperationId: record.marketplaceOperationId }, { id: record.marketplaceOperationId }] },
  });
  if (existing) {
    return tx.operation.update({
      where: { id: existing.id },
      data: { status: record.status, marketplaceOperationId: record.marketplaceOperationId },
    });
  }
  if (record.source === "Publisher") {
    const sent = await tx.operation.findFirst({
      where: {
        subscriptionId: record.subscriptionId,
        status: { in: ["Requested", "InProgress"] },
        marketplaceOperationId: null,
        submittedAt: { not: null },
      },
      orderBy: { createdAt: "desc" },
    });
    const remote = {
      action: record.action,
      planId: record.requestedPlanId ?? null,
      quantity: record.requestedQuantity ?? undefined,
    };
    if (sent && isSameChange(sent, remote)) {
      return tx.operation.update({
        where: { id: sent.id },
        data: { status: record.status, marketplaceOperationId: record.marketplaceOperationId },
      });
    }
  }
  return tx.operation.create({
    data: {
      id: record.marketplaceOperationId,
      marketplaceOperationId: record.marketplaceOperationId,
      subscriptionId: record.subscriptionId,
      action: record.action,
      status: record.status,
      source: record.source,
      requestedPlanId: record.requestedPlanId ?? null,
      requestedQuantity: record.requestedQuantity ?? null,
    },
  });
}
