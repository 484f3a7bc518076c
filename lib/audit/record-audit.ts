/**
 * The audit trail's one write path: every state change and noteworthy action, with who did it,
 * in the caller's transaction. The actions are a closed vocabulary, so a misspelt one does not
 * compile and the console can name each one.
 */
import "server-only";
import type { Prisma, PrismaClient, SubscriptionStatus } from "../generated/prisma/client";

export const auditActions = [
  // A subscription's life
  "subscription_recorded",
  "account_configured",
  "activated",
  "activation_failed",
  "suspended",
  "reinstated",
  "reinstate_refused",
  "renewed",
  "unsubscribed",
  "status_synced",
  // Auto-activated purchases (docs/decisions/0008)
  "purchase_completed",
  "setup_completed",
  // Plan and seat changes
  "change_requested",
  "publisher_change_requested",
  "change_completed",
  "change_failed",
  "change_refused",
  "plan_changed",
  "quantity_changed",
  "term_changed",
  "operation_acknowledged",
  "accepted_change_not_shown",
  // The publisher's console
  "publisher_activation_requested",
  "publisher_resynced",
  "acknowledgement_resent",
  "job_retried",
  "webhook_retried",
  "reconciliation_requested",
  // The product (docs/decisions/0014) and data retention (docs/decisions/0015)
  "handoff_issued",
  "data_purged",
  // People
  "invite_created",
  "invite_revoked",
  "colleague_added",
  "colleague_removed",
  // Metering
  "api_key_created",
  "api_key_revoked",
  "usage_expired",
  "usage_expiry_warning",
  "usage_failed",
  "usage_quantity_mismatch",
  "usage_retry_requested",
  // Usage reconciliation: what Microsoft reports it did with the usage it was sent
  "usage_rejected",
  "usage_mismatch",
  "usage_missing",
  "usage_reconciliation_requested",
  // Events to the ISV's systems (lib/events)
  "event_endpoint_created",
  "event_endpoint_updated",
  "event_endpoint_enabled",
  "event_endpoint_disabled",
  "event_endpoint_secret_rotated",
  "event_endpoint_deleted",
  "events_replayed",
  // Notifications (lib/notifications)
  "notification_resent",
  "notification_preferences_changed",
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditActor {
  actorType: "user" | "marketplace" | "system";
  actorTid?: string | null;
  actorOid?: string | null;
}

export interface AuditEntry {
  /** Null for actions that concern no one subscription (an API key, "sync now"). */
  subscriptionId?: string | null;
  actor: AuditActor;
  action: AuditAction;
  fromStatus?: SubscriptionStatus;
  toStatus?: SubscriptionStatus;
  detail?: Prisma.InputJsonValue;
}

function row(entry: AuditEntry): Prisma.AuditEventCreateManyInput {
  return {
    subscriptionId: entry.subscriptionId ?? null,
    actorType: entry.actor.actorType,
    actorTid: entry.actor.actorTid ?? null,
    actorOid: entry.actor.actorOid ?? null,
    action: entry.action,
    fromStatus: entry.fromStatus,
    toStatus: entry.toStatus,
    detail: entry.detail,
  };
}

export function recordAudit(writer: Prisma.TransactionClient | PrismaClient, entry: AuditEntry) {
  return writer.auditEvent.create({ data: row(entry) });
}

/** Several rows at once (one statement), e.g. one per usage hour. */
export function recordAudits(writer: Prisma.TransactionClient | PrismaClient, entries: AuditEntry[]) {
  return writer.auditEvent.createMany({ data: entries.map(row) });
}
