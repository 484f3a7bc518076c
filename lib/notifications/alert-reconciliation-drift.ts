/**
 * The publisher's `reconciliation_drift` alert: a reconciliation run found differences between
 * the portal's copy and Microsoft's (missed webhooks, changes made elsewhere). Written with the
 * run's result. A difference that stays (one the state machine refuses, say) is found again by
 * every run: the cause is the set of differences itself, so the same set alerts once, and a new
 * difference alerts again.
 */
import "server-only";
import { createHash } from "node:crypto";
import type { Prisma } from "../generated/prisma/client";
import { alertPublisher } from "./alert-publisher";

const SAMPLES = 5;

export async function alertReconciliationDrift(
  tx: Prisma.TransactionClient,
  run: { id: string; driftCount: number; subscriptionsSeen: number },
): Promise<void> {
  if (run.driftCount === 0) return;
  const drifts = await tx.drift.findMany({
    where: { runId: run.id },
    orderBy: [{ subscriptionId: "asc" }, { field: "asc" }],
    select: { subscriptionId: true, field: true, localValue: true, remoteValue: true },
  });
  if (drifts.length === 0) return;
  const fingerprint = createHash("sha256")
    .update(drifts.map((d) => [d.subscriptionId, d.field, d.localValue, d.remoteValue].join("|")).join("\n"))
    .digest("hex");
  await alertPublisher(tx, {
    kind: "reconciliation_drift",
    cause: `drift:${fingerprint}`,
    data: {
      runId: run.id,
      driftCount: drifts.length,
      subscriptionsSeen: run.subscriptionsSeen,
      samples: drifts.slice(0, SAMPLES).map((d) => ({
        subscriptionId: d.subscriptionId,
        field: d.field,
        local: d.localValue,
        remote: d.remoteValue,
      })),
    },
  });
}
