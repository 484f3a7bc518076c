import "server-only";
import type { Prisma, Subscription } from "../generated/prisma/client";
import { logger } from "../logger";
import { retentionEnv } from "../env";
import { knownSubscriptionStatus } from "../marketplace/schemas";
import { heldBackFields } from "./acknowledged-changes";
import type { SubscriptionSnapshot } from "./read-subscription";
import { canTransition } from "./state-machine";
import { withoutPersonalFields } from "./personal-fields";
import { subscriptionFields } from "./subscription-fields";
import { transitionSubscription } from "./transition-subscription";
import { recordAudit, type AuditAction, type AuditActor } from "../audit/record-audit";
import { announceSubscriptionChange } from "./subscription-events";
import { lockSubscription } from "./lock-subscription";

/**
 * Brings our row in line with Microsoft's view of a subscription (Microsoft is the source of
 * truth, marketplace-contract.md §6.4), inside the caller's transaction. Status changes go through the
 * state machine with an audit row; a change the machine forbids (e.g. reviving an Unsubscribed
 * subscription) is refused and logged rather than applied. Every change is announced as events
 * (subscription-events.ts) in the same transaction.
 *
 * A snapshot read before the one already applied is out of date and changes nothing: the row is
 * locked first, so of two syncs racing on one subscription the newer read always wins (a slow
 * poll for an old plan change must not undo the seat change that followed it).
 */
export async function syncSubscription(
  tx: Prisma.TransactionClient,
  options: { snapshot: SubscriptionSnapshot; actor: AuditActor; reason: string; transitionAction?: AuditAction },
): Promise<Subscription> {
  const { subscription: remote, readAt } = options.snapshot;
  const fields = subscriptionFields(remote);
  const now = new Date();
  await lockSubscription(tx, remote.id);
  for (const tid of new Set([fields.beneficiaryTenantId, fields.purchaserTenantId])) {
    if (tid) await tx.tenant.upsert({ where: { id: tid }, create: { id: tid }, update: {} });
  }
  const existing = await tx.subscription.findUnique({ where: { id: remote.id } });
  if (!existing) {
    // A status Microsoft added since is recorded as NotStarted: not billed, no access, until a known one arrives.
    const status = knownSubscriptionStatus(remote.saasSubscriptionStatus) ?? "NotStarted";
    const created = await tx.subscription.create({
      data: {
        id: remote.id,
        ...fields,
        status,
        lastSyncedAt: readAt,
        // Already live the first time we hear of it: Microsoft activated it, not us (an
        // auto-activated purchase, docs/decisions/0008). Its account is not set up yet.
        ...(isLive(status) ? { activatedBy: "marketplace" as const, activatedAt: now } : {}),
      },
    });
    await recordAudit(tx, {
      subscriptionId: remote.id,
      actor: options.actor,
      action: "subscription_recorded",
      toStatus: created.status,
      detail: { reason: options.reason, offerId: fields.offerId, planId: fields.planId, quantity: fields.quantity },
    });
    await announceSubscriptionChange(tx, null, created);
    return created;
  }
  if (existing.lastSyncedAt && existing.lastSyncedAt > readAt) {
    logger.info("older snapshot of a subscription ignored", {
      subscriptionId: remote.id,
      readAt: readAt.toISOString(),
      lastSyncedAt: existing.lastSyncedAt.toISOString(),
      reason: options.reason,
    });
    return existing;
  }
  const held = await heldBackFields(tx, existing, remote, now);
  if (Object.keys(held).length > 0)
    logger.info("accepted change not yet shown by Microsoft; keeping it", {
      subscriptionId: remote.id,
      held,
      reason: options.reason,
    });
  const { status: heldStatus, ...heldFields } = held;
  // After the retention purge, Microsoft's copy of the personal fields is not taken again (docs/decisions/0015).
  const written = { ...withoutPersonalFields(fields, existing), ...heldFields };
  const updated = await tx.subscription.update({
    where: { id: remote.id },
    data: { ...written, lastSyncedAt: readAt },
  });
  await recordFieldChanges(tx, existing, written, options);
  // Plan, seats, term: announced here; a status change by the transition below.
  await announceSubscriptionChange(tx, existing, updated);
  const target = heldStatus ?? knownSubscriptionStatus(remote.saasSubscriptionStatus);
  if (!target) {
    logger.warn("Microsoft reports a subscription status we do not know; status kept", {
      subscriptionId: remote.id,
      status: remote.saasSubscriptionStatus,
      kept: existing.status,
    });
  } else if (existing.status !== target) {
    if (canTransition(existing.status, target)) {
      await transitionSubscription(tx, {
        subscriptionId: remote.id,
        from: existing.status,
        to: target,
        action: options.transitionAction ?? "status_synced",
        actor: options.actor,
        data: {
          ...statusTimestamps(target, existing.activatedAt, now),
          ...(await goingLive(tx, existing, target, now)),
        },
        detail: { reason: options.reason },
      });
    } else {
      logger.warn("marketplace status change refused by the state machine", {
        subscriptionId: remote.id,
        from: existing.status,
        to: target,
        reason: options.reason,
      });
    }
  }
  return tx.subscription.findUniqueOrThrow({ where: { id: remote.id } });
}

/**
 * Plan, seats or term that Microsoft's copy moved without one of our own audit rows saying so (a
 * change applied by a webhook is already on our row, so it is not recorded twice): each is
 * recorded, e.g. the annual term a plan change brought, known only once Microsoft applied it
 * (decisions/0010). Term dates moving within the same term unit are renewals, recorded as such.
 */
async function recordFieldChanges(
  tx: Prisma.TransactionClient,
  existing: Subscription,
  written: Pick<Subscription, "planId" | "quantity" | "termUnit" | "termStartDate" | "termEndDate">,
  options: { actor: AuditActor; reason: string },
) {
  const seatsMoved = written.quantity !== existing.quantity;
  if (written.planId !== existing.planId)
    await recordAudit(tx, {
      subscriptionId: existing.id,
      actor: options.actor,
      action: "plan_changed",
      detail: {
        from: existing.planId,
        to: written.planId,
        ...(seatsMoved ? { seats: { from: existing.quantity, to: written.quantity } } : {}),
        reason: options.reason,
      },
    });
  else if (seatsMoved)
    await recordAudit(tx, {
      subscriptionId: existing.id,
      actor: options.actor,
      action: "quantity_changed",
      detail: { from: existing.quantity, to: written.quantity, reason: options.reason },
    });
  const unit = (value: string) => value.trim().toUpperCase();
  // A term that appears or vanishes (absent from one answer) is no change of term.
  if (existing.termUnit && written.termUnit && unit(written.termUnit) !== unit(existing.termUnit))
    await recordAudit(tx, {
      subscriptionId: existing.id,
      actor: options.actor,
      action: "term_changed",
      detail: {
        from: termOf(existing),
        to: termOf(written),
        reason: options.reason,
      },
    });
}

const termOf = (row: Pick<Subscription, "termUnit" | "termStartDate" | "termEndDate">) => ({
  unit: row.termUnit,
  start: row.termStartDate?.toISOString().slice(0, 10) ?? null,
  end: row.termEndDate?.toISOString().slice(0, 10) ?? null,
});

const isLive = (status: Subscription["status"]) => status === "Subscribed" || status === "Suspended";

/**
 * Who made a subscription live, decided when we first see it live (docs/decisions/0008): our
 * Activate call (an `Activate` operation of ours exists) or Microsoft (an auto-activated plan:
 * nothing here asks which mode a plan uses). A buyer who saved the account configuration and then
 * activated has finished the setup with it (the classic landing page).
 */
async function goingLive(
  tx: Prisma.TransactionClient,
  existing: Subscription,
  target: Subscription["status"],
  now: Date,
): Promise<Prisma.SubscriptionUpdateManyMutationInput> {
  if (existing.activatedBy || !isLive(target)) return {};
  const ours = await tx.operation.findFirst({
    where: { subscriptionId: existing.id, action: "Activate" },
    select: { id: true },
  });
  if (!ours) return { activatedBy: "marketplace" };
  return existing.accountConfig !== null && existing.setupState === "pending"
    ? { activatedBy: "portal", setupState: "complete", setupCompletedAt: now }
    : { activatedBy: "portal" };
}

/** Dates that go with entering a status; cancelled subscriptions keep their data for the retention period. */
export function statusTimestamps(target: Subscription["status"], activatedAt: Date | null, now: Date) {
  switch (target) {
    case "Subscribed":
      // Reinstated or activated: not suspended any more.
      return { suspendedAt: null, ...(activatedAt ? {} : { activatedAt: now }) };
    case "Suspended":
      return { suspendedAt: now };
    case "Unsubscribed":
      return {
        unsubscribedAt: now,
        dataRetainedUntil: new Date(now.getTime() + retentionEnv().DATA_RETENTION_DAYS * 86_400_000),
      };
    default:
      return {};
  }
}
