/**
 * Keeping the cancellation page's promise — "Your data is kept for DATA_RETENTION_DAYS days after
 * cancellation, then deleted" (docs/decisions/0015). Once a cancelled subscription's
 * `dataRetainedUntil` has passed, its personal data is removed from every table that holds some:
 *
 *  - the subscription row: its name, the purchaser's and beneficiary's emails and puids, the
 *    account configuration (lib/subscriptions/personal-fields.ts);
 *  - colleagues' access and invitation links (the people, who invited whom, the link hashes);
 *  - the audit trail's details that repeat the account configuration (company name, contacts…);
 *  - the stored copies of Microsoft's webhooks (the subscription's name; emails are never stored)
 *    and of the events sent to the ISV (the name and the account configuration), and the
 *    endpoints' answers to those events;
 *  - the names and emails of the people who signed in for it, unless another subscription whose
 *    data is kept still involves them (publisher staff are not the customer's data).
 *
 * What stays: ids (subscription, tenants, users' object ids), statuses, plan, seats, dates,
 * operations, usage, and the audit skeleton (who did what, when). The purge writes a
 * `data_purged` audit row saying what it removed and emits `subscription.data_purged`, in the
 * same transaction. It runs once per subscription: a second run finds nothing due.
 */
import "server-only";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import { accountFields } from "../catalog";
import { db } from "../db";
import { marketplaceEnv } from "../env";
import { emitEvent } from "../events/emit-event";
import { Prisma } from "../generated/prisma/client";
import { defineJob } from "../jobs/define-job";
import { logger } from "../logger";
import { erasePersonalFields, PURGED_FIELDS } from "../subscriptions/personal-fields";
import { lockSubscription } from "../subscriptions/lock-subscription";

/** Audit detail keys that carry what a person typed or who they are (besides the account form's own field names). */
const PERSONAL_DETAIL_KEYS = new Set([
  "companyName",
  "contactName",
  "contactEmail",
  "accountConfig",
  "accountConfiguration",
  "email",
  "emailId",
  "puid",
  "name",
]);
/** What the audit skeleton keeps whatever an account form calls its fields: what happened, to what, why. */
const SKELETON_KEYS = new Set([
  "action",
  "activatedBy",
  "audience",
  "eventId",
  "expiresAt",
  "inviteId",
  "jti",
  "offerId",
  "operationId",
  "outcome",
  "planId",
  "quantity",
  "reason",
  "reference",
  "status",
]);
const REDACTED = "[redacted]";

export interface PurgeReport {
  subscriptionId: string;
  fields: string[];
  invitations: number;
  colleagues: number;
  auditDetails: number;
  webhookPayloads: number;
  eventPayloads: number;
  deliveryAnswers: number;
  /** Notifications about it (they name their recipients), deleted. */
  notifications: number;
  people: number;
}

type Json = Prisma.JsonValue;
const isObject = (value: unknown): value is Record<string, Json> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The value without the given keys, at any depth; `changed` says whether anything was removed. */
export function withoutKeys(value: Json, keys: ReadonlySet<string>): { value: Json; changed: boolean } {
  if (Array.isArray(value)) {
    let changed = false;
    const items = value.map((item) => {
      const result = withoutKeys(item, keys);
      changed ||= result.changed;
      return result.value;
    });
    return { value: items, changed };
  }
  if (!isObject(value)) return { value, changed: false };
  let changed = false;
  const entries: Array<[string, Json]> = [];
  for (const [key, item] of Object.entries(value)) {
    if (keys.has(key)) {
      changed = true;
      continue;
    }
    const result = withoutKeys(item, keys);
    changed ||= result.changed;
    entries.push([key, result.value]);
  }
  return { value: Object.fromEntries(entries), changed };
}

/** A stored webhook or event payload with the subscription's name and account configuration replaced. */
export function redactSubscriptionPayload(payload: Json): { value: Json; changed: boolean } {
  if (!isObject(payload)) return { value: payload, changed: false };
  let changed = false;
  const redact = (node: Record<string, Json>): Record<string, Json> => {
    const copy: Record<string, Json> = { ...node };
    for (const [key, item] of Object.entries(copy)) {
      if (key === "accountConfiguration" || key === "accountConfig") {
        if (item !== null) {
          copy[key] = null;
          changed = true;
        }
      } else if (isObject(item)) copy[key] = redact(item);
    }
    return copy;
  };
  const next = redact(payload);
  const subscription = next.subscription;
  if (isObject(subscription) && typeof subscription.name === "string" && subscription.name !== REDACTED) {
    next.subscription = { ...subscription, name: REDACTED };
    changed = true;
  }
  return { value: next, changed };
}

type Person = { tid: string; oid: string };
const personKey = (person: Person) => `${person.tid.toLowerCase()}:${person.oid.toLowerCase()}`;

/** Whether a subscription whose data is kept (not this one) still involves the person. */
async function stillInvolved(tx: Prisma.TransactionClient, person: Person, subscriptionId: string) {
  const tid = person.tid.toLowerCase();
  const oid = person.oid.toLowerCase();
  const other = await tx.subscription.findFirst({
    where: {
      id: { not: subscriptionId },
      dataPurgedAt: null,
      OR: [
        { beneficiaryTenantId: tid, beneficiaryObjectId: oid },
        { purchaserTenantId: tid, purchaserObjectId: oid },
        { ownerTenantId: tid, ownerUserOid: oid },
        {
          members: {
            some: {
              OR: [
                { tenantId: tid, userOid: oid },
                { invitedByTid: tid, invitedByOid: oid },
              ],
            },
          },
        },
        {
          invites: {
            some: {
              OR: [
                { createdByTid: tid, createdByOid: oid },
                { acceptedByTid: tid, acceptedByOid: oid },
              ],
            },
          },
        },
      ],
    },
    select: { id: true },
  });
  return other !== null;
}

/**
 * Purges one subscription's personal data if it is due (cancelled, retention over, not purged
 * yet); null when it is not. The row is locked first, so two runs at once purge it once.
 */
export async function purgeSubscriptionData(subscriptionId: string, now = new Date()): Promise<PurgeReport | null> {
  return db().$transaction(async (tx) => {
    await lockSubscription(tx, subscriptionId);
    const subscription = await tx.subscription.findUnique({
      where: { id: subscriptionId },
      include: { members: true, invites: true },
    });
    if (!subscription) return null;
    const fields = (
      [
        ["name", subscription.name !== PURGED_FIELDS.name],
        ["beneficiaryEmail", subscription.beneficiaryEmail !== null],
        ["beneficiaryPuid", subscription.beneficiaryPuid !== null],
        ["purchaserEmail", subscription.purchaserEmail !== null],
        ["purchaserPuid", subscription.purchaserPuid !== null],
        ["accountConfig", subscription.accountConfig !== null],
      ] as const
    )
      .filter(([, present]) => present)
      .map(([field]) => field);
    if (!(await erasePersonalFields(tx, subscriptionId, now))) return null;

    // The people involved, before their links to the subscription go.
    const people = new Map<string, Person>();
    const add = (tid: string | null, oid: string | null) => {
      if (tid && oid) people.set(personKey({ tid, oid }), { tid, oid });
    };
    add(subscription.beneficiaryTenantId, subscription.beneficiaryObjectId);
    add(subscription.purchaserTenantId, subscription.purchaserObjectId);
    add(subscription.ownerTenantId, subscription.ownerUserOid);
    for (const member of subscription.members) {
      add(member.tenantId, member.userOid);
      add(member.invitedByTid, member.invitedByOid);
    }
    for (const invite of subscription.invites) {
      add(invite.createdByTid, invite.createdByOid);
      add(invite.acceptedByTid, invite.acceptedByOid);
    }

    const colleagues = await tx.subscriptionMember.deleteMany({ where: { subscriptionId } });
    const invitations = await tx.subscriptionInvite.deleteMany({ where: { subscriptionId } });

    // Audit details: the account form's fields (whatever the catalog calls them) and the known personal keys.
    const config = isObject(subscription.accountConfig) ? Object.keys(subscription.accountConfig) : [];
    const keys = new Set(
      [
        ...PERSONAL_DETAIL_KEYS,
        ...config,
        ...accountFields(subscription.offerId, subscription.planId).map((field) => field.name),
      ].filter((key) => !SKELETON_KEYS.has(key)),
    );
    let auditDetails = 0;
    const audits = await tx.auditEvent.findMany({ where: { subscriptionId }, select: { id: true, detail: true } });
    for (const audit of audits) {
      if (audit.detail === null) continue;
      const scrubbed = withoutKeys(audit.detail, keys);
      if (!scrubbed.changed) continue;
      await tx.auditEvent.update({
        where: { id: audit.id },
        data: { detail: scrubbed.value as Prisma.InputJsonValue },
      });
      auditDetails += 1;
    }

    let webhookPayloads = 0;
    for (const row of await tx.webhookEvent.findMany({
      where: { subscriptionId },
      select: { id: true, payload: true },
    })) {
      const redacted = redactSubscriptionPayload(row.payload);
      if (!redacted.changed) continue;
      await tx.webhookEvent.update({
        where: { id: row.id },
        data: { payload: redacted.value as Prisma.InputJsonValue },
      });
      webhookPayloads += 1;
    }

    let eventPayloads = 0;
    for (const row of await tx.outboxEvent.findMany({
      where: { subscriptionId },
      select: { id: true, payload: true },
    })) {
      const redacted = redactSubscriptionPayload(row.payload);
      if (!redacted.changed) continue;
      await tx.outboxEvent.update({
        where: { id: row.id },
        data: { payload: redacted.value as Prisma.InputJsonValue },
      });
      eventPayloads += 1;
    }
    // What the ISV's endpoints answered may echo what they were sent.
    const deliveryAnswers = await tx.eventDeliveryAttempt.updateMany({
      where: { delivery: { event: { subscriptionId } }, responseExcerpt: { not: null } },
      data: { responseExcerpt: null },
    });

    // Mails and alerts about it name their recipients (and what they said): they go.
    const notifications = await tx.notification.deleteMany({ where: { subscriptionId } });

    let forgotten = 0;
    const publisherTenant = marketplaceEnv().MARKETPLACE_TENANT_ID.toLowerCase();
    for (const person of people.values()) {
      if (person.tid.toLowerCase() === publisherTenant) continue;
      if (await stillInvolved(tx, person, subscriptionId)) continue;
      const erased = await tx.user.updateMany({
        where: {
          tid: person.tid.toLowerCase(),
          oid: person.oid.toLowerCase(),
          OR: [{ name: { not: null } }, { email: { not: null } }],
        },
        data: { name: null, email: null },
      });
      forgotten += erased.count;
    }

    const report: PurgeReport = {
      subscriptionId,
      fields,
      invitations: invitations.count,
      colleagues: colleagues.count,
      auditDetails,
      webhookPayloads,
      eventPayloads,
      deliveryAnswers: deliveryAnswers.count,
      notifications: notifications.count,
      people: forgotten,
    };
    const { subscriptionId: _id, ...removed } = report;
    await recordAudit(tx, {
      subscriptionId,
      actor: { actorType: "system" },
      action: "data_purged",
      detail: { retainedUntil: subscription.dataRetainedUntil?.toISOString() ?? null, removed },
    });
    await emitEvent(tx, { type: "subscription.data_purged", subscriptionId, data: { purgedAt: now.toISOString() } });
    return report;
  });
}

/** Cancelled subscriptions whose retention ended and whose data is still here, oldest first. */
export async function subscriptionsDueForPurge(now = new Date(), limit = 500) {
  const rows = await db().subscription.findMany({
    where: { status: "Unsubscribed", dataRetainedUntil: { lte: now }, dataPurgedAt: null },
    orderBy: { dataRetainedUntil: "asc" },
    select: { id: true },
    take: limit,
  });
  return rows.map((row) => row.id);
}

/**
 * Purges every subscription due, each in its own transaction, so one that fails does not hold
 * back the others; the run fails at the end if any did (the job is retried, the console shows it).
 */
export async function purgeDueSubscriptions(now = new Date()) {
  const reports: PurgeReport[] = [];
  const failed: string[] = [];
  for (;;) {
    const due = (await subscriptionsDueForPurge(now)).filter((id) => !failed.includes(id));
    if (due.length === 0) break;
    for (const id of due) {
      try {
        const report = await purgeSubscriptionData(id, now);
        if (report) reports.push(report);
      } catch (error) {
        failed.push(id);
        logger.error("personal data purge failed", { subscriptionId: id, error });
      }
    }
    if (due.every((id) => failed.includes(id))) break;
  }
  if (reports.length > 0 || failed.length > 0)
    logger.info("personal data purged", { purged: reports.length, failed: failed.length });
  if (failed.length > 0) throw new Error(`The personal data of ${failed.length} subscription(s) could not be purged`);
  return reports;
}

/** Hourly at :41 (away from the other jobs): data goes within the hour its retention ends. */
export const purgePersonalDataJob = defineJob({
  name: "purge-personal-data",
  payload: z.object({}),
  key: () => "hourly",
  retry: { limit: 3, delaySeconds: 600, backoff: true },
  expireInSeconds: 30 * 60,
  schedule: () => ({ cron: "41 * * * *", payload: {} }),
  run: async () => {
    await purgeDueSubscriptions();
  },
});
