import "server-only";
import { z } from "zod";
import { db } from "../db";
import { reconciliationEnv } from "../env";
import { cronEvery } from "../jobs/cron";
import { defineJob } from "../jobs/define-job";
import { enqueue } from "../jobs/enqueue";
import { wakeWorkers } from "../jobs/wake";
import {
  isFinalOperationStatus,
  knownSubscriptionStatus,
  marketplace,
  type MarketplaceSubscription,
} from "../marketplace";
import { expireStaleChanges } from "../operations/expire-stale-changes";
import { followActivationJob } from "../operations/follow-activation";
import { logger } from "../logger";
import { canTransition } from "../subscriptions/state-machine";
import { subscriptionFields } from "../subscriptions/subscription-fields";
import { settleOperation } from "../operations/follow-operation";
import { alertReconciliationDrift } from "../notifications/alert-reconciliation-drift";
import { syncSubscription } from "../subscriptions/sync-subscription";

/** Hourly by default (RECONCILE_INTERVAL_MINUTES; 0 = only "Sync now" and `npm run reconcile`); one waiting run per trigger. */
export const reconcileSubscriptionsJob = defineJob({
  name: "reconcile-subscriptions",
  payload: z.object({ trigger: z.enum(["schedule", "manual", "cli"]).default("schedule") }),
  key: (payload) => payload.trigger,
  retry: { limit: 2, delaySeconds: 30, backoff: true },
  expireInSeconds: 30 * 60,
  schedule: () => {
    const minutes = reconciliationEnv().RECONCILE_INTERVAL_MINUTES;
    return minutes > 0 ? { cron: cronEvery(minutes), payload: { trigger: "schedule" as const } } : null;
  },
  run: async (payload) => {
    await reconcileSubscriptions(payload);
  },
});

export interface DriftFinding {
  subscriptionId: string;
  field: "missing" | "status" | "planId" | "quantity" | "term";
  localValue: string | null;
  remoteValue: string | null;
}

type LocalRow = Awaited<ReturnType<ReturnType<typeof db>["subscription"]["findUnique"]>>;

const day = (date: Date | null | undefined) => (date ? date.toISOString().slice(0, 10) : null);

/** What differs between our row and Microsoft's subscription (pure; unit-tested). */
export function findDrift(local: NonNullable<LocalRow> | null, remote: MarketplaceSubscription): DriftFinding[] {
  const id = remote.id;
  if (!local)
    return [{ subscriptionId: id, field: "missing", localValue: null, remoteValue: remote.saasSubscriptionStatus }];
  const fields = subscriptionFields(remote);
  const findings: DriftFinding[] = [];
  if (local.status !== remote.saasSubscriptionStatus)
    findings.push({
      subscriptionId: id,
      field: "status",
      localValue: local.status,
      remoteValue: remote.saasSubscriptionStatus,
    });
  if (local.planId !== fields.planId)
    findings.push({ subscriptionId: id, field: "planId", localValue: local.planId, remoteValue: fields.planId });
  if ((local.quantity ?? null) !== fields.quantity)
    findings.push({
      subscriptionId: id,
      field: "quantity",
      localValue: local.quantity?.toString() ?? null,
      remoteValue: fields.quantity?.toString() ?? null,
    });
  const localTerm = `${day(local.termStartDate)}..${day(local.termEndDate)}`;
  const remoteTerm = `${day(fields.termStartDate)}..${day(fields.termEndDate)}`;
  if (localTerm !== remoteTerm)
    findings.push({ subscriptionId: id, field: "term", localValue: localTerm, remoteValue: remoteTerm });
  return findings;
}

/**
 * Heals what webhooks missed (marketplace-contract.md §6.3, §10.3): walks Microsoft's list of subscriptions (every page),
 * records each difference as drift, brings our rows in line through the state machine, and
 * re-checks operations we still consider in progress.
 */
export async function reconcileSubscriptions(options: { trigger: "schedule" | "manual" | "cli" }) {
  const run = await db().reconciliationRun.create({ data: { trigger: options.trigger } });
  let seen = 0;
  let driftCount = 0;
  let operationsChecked = 0;
  try {
    let nextLink: string | undefined;
    do {
      const readAt = new Date();
      const page = await marketplace().listSubscriptions(nextLink, { correlationId: run.id });
      for (const remote of page.subscriptions) {
        seen += 1;
        const local = await db().subscription.findUnique({ where: { id: remote.id } });
        // Our row was refreshed from Microsoft after this page was read: it is newer, not drift.
        if (local?.lastSyncedAt && local.lastSyncedAt > readAt) continue;
        const findings = findDrift(local, remote);
        if (findings.length === 0) continue;
        driftCount += findings.length;
        const remoteStatus = knownSubscriptionStatus(remote.saasSubscriptionStatus);
        const statusAllowed =
          !local ||
          (remoteStatus !== undefined && (local.status === remoteStatus || canTransition(local.status, remoteStatus)));
        await db().$transaction(async (tx) => {
          const synced = await syncSubscription(tx, {
            snapshot: { subscription: remote, readAt },
            actor: { actorType: "system" },
            reason: "reconciliation",
          });
          // What the sync did not take over: refused by the state machine, or an accepted change
          // Microsoft does not show yet (kept, acknowledged-changes.ts).
          const remaining = new Set(findDrift(synced, remote).map((finding) => finding.field));
          await tx.drift.createMany({
            data: findings.map((finding) => ({
              runId: run.id,
              ...finding,
              resolution: !remaining.has(finding.field)
                ? "synced"
                : finding.field === "status" && !statusAllowed
                  ? "refused"
                  : "kept",
            })),
          });
        });
      }
      nextLink = page.nextLink;
    } while (nextLink);

    // Operations Microsoft knows (they have its id) that we still consider open.
    const outstanding = await db().operation.findMany({
      where: { status: { in: ["InProgress", "NotStarted"] }, marketplaceOperationId: { not: null } },
      take: 500,
    });
    for (const operation of outstanding) {
      operationsChecked += 1;
      try {
        const remote = await marketplace().getOperation(
          operation.subscriptionId,
          operation.marketplaceOperationId ?? operation.id,
          { correlationId: run.id },
        );
        if (isFinalOperationStatus(remote.status))
          await settleOperation(operation, { ...remote, status: remote.status });
      } catch (error) {
        logger.warn("reconciliation: could not re-check an operation", { operationId: operation.id, error });
      }
    }
    // Activations still open (Microsoft gives them no operation id): their follow-up job settles
    // them; a job lost with an old deployment or given up is started again.
    const activations = await db().operation.findMany({
      where: { action: "Activate", status: "InProgress", createdAt: { lt: new Date(Date.now() - 2 * 60_000) } },
      select: { id: true },
      take: 500,
    });
    for (const activation of activations)
      await enqueue(
        db(),
        followActivationJob,
        { operationId: activation.id, poll: 1 },
        { startAfter: new Date(), moveEarlier: true },
      );
    operationsChecked += activations.length;
    // Changes never sent, or sent without a known outcome, for too long: settled from Microsoft's view.
    operationsChecked += await expireStaleChanges({ askMicrosoft: true });
    if (activations.length > 0) wakeWorkers();
    return await db().$transaction(async (tx) => {
      const finished = await tx.reconciliationRun.update({
        where: { id: run.id },
        data: { status: "succeeded", subscriptionsSeen: seen, driftCount, operationsChecked, finishedAt: new Date() },
      });
      await alertReconciliationDrift(tx, finished);
      return finished;
    });
  } catch (error) {
    await db().reconciliationRun.update({
      where: { id: run.id },
      data: {
        status: "failed",
        subscriptionsSeen: seen,
        driftCount,
        operationsChecked,
        error: error instanceof Error ? error.message : String(error),
        finishedAt: new Date(),
      },
    });
    throw error;
  }
}
