/**
 * The publisher's `usage_rejected` alert: metered usage that will not be billed (an hour Microsoft
 * refused, one that left the 24-hour window, usage Microsoft's report shows as rejected), one alert
 * per batch that records them — not one per hour —, written with them. The same batch recorded
 * again alerts once.
 */
import "server-only";
import { createHash } from "node:crypto";
import type { RejectedUsage } from "../events/emit-usage-rejected";
import type { Prisma } from "../generated/prisma/client";
import { alertPublisher } from "./alert-publisher";

const LISTED = 10;

export async function alertUsageRejected(tx: Prisma.TransactionClient, rejections: RejectedUsage[]): Promise<void> {
  if (rejections.length === 0) return;
  const ordered = [...rejections].sort(
    (a, b) =>
      a.subscriptionId.localeCompare(b.subscriptionId) ||
      a.periodStart.getTime() - b.periodStart.getTime() ||
      a.dimension.localeCompare(b.dimension),
  );
  const fingerprint = createHash("sha256")
    .update(
      ordered
        .map((r) => [r.subscriptionId, r.dimension, r.period, r.periodStart.toISOString(), r.status].join("|"))
        .join("\n"),
    )
    .digest("hex");
  await alertPublisher(tx, {
    kind: "usage_rejected",
    cause: `usage-rejected:${fingerprint}`,
    subscriptionId: new Set(ordered.map((r) => r.subscriptionId)).size === 1 ? ordered[0]!.subscriptionId : null,
    data: {
      count: ordered.length,
      items: ordered.slice(0, LISTED).map((r) => ({
        subscriptionId: r.subscriptionId,
        dimension: r.dimension,
        periodStart: r.periodStart.toISOString(),
        quantity: r.quantity,
        status: r.status,
        reason: r.reason ?? r.marketplaceStatus,
      })),
    },
  });
}
