import "server-only";
import { db } from "../db";
import type { Operation } from "../generated/prisma/client";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import { isFinalOperationStatus } from "../marketplace";
import { followOperationJob } from "./follow-operation";

/**
 * Our requested change is Microsoft's operation `marketplaceOperationId` (from Operation-Location,
 * or found by asking Microsoft after a lost answer). Links the two and follows the operation. When
 * the webhook beat us and recorded the operation under Microsoft's id, that row is merged into ours:
 * what it already learned (a final status, an acknowledged change awaiting confirmation) is kept.
 */
export async function adoptMarketplaceOperation(
  operation: Operation,
  marketplaceOperationId: string,
  options: { operationLocation?: string } = {},
): Promise<void> {
  await db().$transaction(async (tx) => {
    const other = await tx.operation.findFirst({ where: { marketplaceOperationId, id: { not: operation.id } } });
    if (other) await tx.operation.delete({ where: { id: other.id } });
    // The webhook may also have attached itself to our row and moved it on (record-marketplace-operation).
    const current = await tx.operation.findUniqueOrThrow({ where: { id: operation.id } });
    const known =
      [other, current].find(
        (row) => row && row.marketplaceOperationId === marketplaceOperationId && isFinalOperationStatus(row.status),
      ) ?? undefined;
    await tx.operation.update({
      where: { id: operation.id },
      data: {
        status: known?.status ?? "InProgress",
        marketplaceOperationId,
        ...(options.operationLocation ? { operationLocation: options.operationLocation } : {}),
        ...(known ? { completedAt: known.completedAt, errorMessage: known.errorMessage } : {}),
        ...(other?.confirmUntil ? { confirmUntil: other.confirmUntil } : {}),
      },
    });
    await enqueue(
      tx,
      followOperationJob,
      { operationId: operation.id, poll: 1 },
      { startAfter: new Date(Date.now() + 2000) },
    );
  });
  wakeWorkers();
}
