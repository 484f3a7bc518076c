import "server-only";
import { db } from "../db";

/**
 * The dashboard's count of live, billed subscriptions whose buyer has not set up the account
 * (an auto-activated purchase whose buyer never came to the landing page, docs/decisions/0008).
 * Served by the (setupState, status, createdAt) index.
 */
export async function setupPendingAttention() {
  const count = await db().subscription.count({ where: { setupState: "pending", status: "Subscribed" } });
  return {
    key: "setup-pending" as const,
    count,
    href: "/admin/subscriptions?status=Subscribed&setup=pending&sort=created&dir=asc",
  };
}
