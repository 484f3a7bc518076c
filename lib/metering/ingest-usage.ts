/**
 * `POST /api/usage`: the product reports usage. Each record is checked on its own — the
 * subscription is visible to the key and `Subscribed`, the dimension is on its current plan, the
 * time is inside the window Microsoft will still bill, the quantity is sane — and the accepted
 * ones are stored in one statement. Idempotency keys are per API key: the same key with the same
 * record answers the original result again (`replayed`), with another record a 409. A refused
 * record leaves nothing behind.
 */
import "server-only";
import { createHash } from "node:crypto";
import { db } from "../db";
import { logger } from "../logger";
import { telemetry } from "../telemetry/telemetry";
import type { AuthenticatedApiKey } from "../api-keys/authenticate-api-key";
import { keyMaySee } from "../api-keys/key-visibility";
import { findPlanDimensions, type MeteringDimension } from "./find-plan-dimensions";
import { meteringSettings, type MeteringSettings } from "./metering-settings";
import { normalizeQuantity, toNano } from "./quantity";
import { requestUsageSubmission } from "./submit-usage";
import { parseUsageEnvelope, parseUsageRecord, type UsageRecordInput } from "./usage-record-schema";
import { refusalStatus, type UsageRefusal } from "./usage-refusals";
import { checkUsageTime, HOUR_MS } from "./usage-window";

export type UsageRecordResult =
  | {
      index: number;
      status: "accepted";
      idempotencyKey: string;
      recordId: string;
      hourStart: string;
      quantity: string;
      replayed: boolean;
    }
  | { index: number; status: "refused"; idempotencyKey?: string; error: UsageRefusal };

export interface IngestResponse {
  accepted: number;
  refused: number;
  results: UsageRecordResult[];
  /** Set when the request as a whole, or its only record, was refused. */
  error?: UsageRefusal;
}

export interface IngestResult {
  status: number;
  body: IngestResponse;
}

interface SubscriptionView {
  id: string;
  status: string;
  offerId: string;
  planId: string;
  beneficiaryTenantId: string | null;
  unsubscribedAt: Date | null;
}
interface Candidate {
  index: number;
  record: UsageRecordInput;
  hash: string;
  hourStart: Date;
  planId: string;
}
interface StoredRecord {
  id: bigint;
  idempotencyKey: string;
  requestHash: string;
  hourStart: Date;
  quantity: string;
}

/** What makes two records "the same" for an idempotency key. */
export function usageRequestHash(record: UsageRecordInput): string {
  return createHash("sha256")
    .update(
      JSON.stringify([record.subscriptionId, record.dimension, record.quantity, record.effectiveAt.toISOString()]),
    )
    .digest("hex");
}

export async function ingestUsage(options: {
  apiKey: AuthenticatedApiKey;
  body: unknown;
  now?: Date;
}): Promise<IngestResult> {
  const now = options.now ?? new Date();
  const settings = meteringSettings();
  const envelope = parseUsageEnvelope(options.body);
  if (!envelope.ok)
    return {
      status: refusalStatus(envelope.refusal),
      body: { accepted: 0, refused: 0, results: [], error: envelope.refusal },
    };

  const results = new Map<number, UsageRecordResult>();
  const refuse = (index: number, error: UsageRefusal, idempotencyKey?: string) =>
    results.set(index, { index, status: "refused", idempotencyKey, error });
  const parsed: Array<{ index: number; record: UsageRecordInput }> = [];
  envelope.records.forEach((raw, index) => {
    const result = parseUsageRecord(raw);
    if (result.ok) parsed.push({ index, record: result.record });
    else
      refuse(
        index,
        result.refusal,
        typeof raw === "object" && raw !== null && "idempotencyKey" in raw && typeof raw.idempotencyKey === "string"
          ? raw.idempotencyKey
          : undefined,
      );
  });

  const keys = [...new Set(parsed.map((p) => p.record.idempotencyKey))];
  const [subscriptions, existing] = await Promise.all([
    db().subscription.findMany({
      where: { id: { in: [...new Set(parsed.map((p) => p.record.subscriptionId))] } },
      select: { id: true, status: true, offerId: true, planId: true, beneficiaryTenantId: true, unsubscribedAt: true },
    }),
    findStored(options.apiKey.id, keys),
  ]);
  const subscriptionById = new Map(subscriptions.map((s) => [s.id, s]));

  const candidates: Candidate[] = [];
  const firstInRequest = new Map<string, { index: number; hash: string }>();
  const replaysInRequest: Array<{ index: number; of: number }> = [];
  for (const { index, record } of parsed) {
    const hash = usageRequestHash(record);
    const earlier = firstInRequest.get(record.idempotencyKey);
    if (earlier) {
      if (earlier.hash === hash) replaysInRequest.push({ index, of: earlier.index });
      else refuse(index, conflict(record.idempotencyKey), record.idempotencyKey);
      continue;
    }
    firstInRequest.set(record.idempotencyKey, { index, hash });
    const stored = existing.get(record.idempotencyKey);
    if (stored) {
      results.set(
        index,
        stored.requestHash === hash
          ? acceptedResult(index, stored, true)
          : { index, status: "refused", idempotencyKey: record.idempotencyKey, error: conflict(record.idempotencyKey) },
      );
      continue;
    }
    const checked = checkRecord(record, subscriptionById.get(record.subscriptionId), options.apiKey, now, settings);
    if (!checked.ok) refuse(index, checked.refusal, record.idempotencyKey);
    else candidates.push({ index, record, hash, hourStart: checked.hourStart, planId: checked.subscription.planId });
  }

  const valid = await checkDimensions(candidates, subscriptionById, (index, refusal, key) =>
    refuse(index, refusal, key),
  );
  const inserted = await insertRecords(options.apiKey.id, valid);
  for (const candidate of valid) {
    const stored = inserted.get(candidate.record.idempotencyKey);
    if (!stored) throw new Error(`usage record ${candidate.record.idempotencyKey} was neither inserted nor found`);
    // Not inserted now: a concurrent request with the same key got there first.
    if (stored.requestHash !== candidate.hash)
      refuse(candidate.index, conflict(candidate.record.idempotencyKey), candidate.record.idempotencyKey);
    else results.set(candidate.index, acceptedResult(candidate.index, stored, !stored.insertedNow));
  }
  for (const replay of replaysInRequest) {
    const original = results.get(replay.of);
    if (original?.status === "accepted")
      results.set(replay.index, { ...original, index: replay.index, replayed: true });
    else if (original) results.set(replay.index, { ...original, index: replay.index });
  }

  // Usage for an hour that has already closed: send it soon rather than at the next scheduled run.
  if (
    valid.some(
      (c) => c.hourStart.getTime() + HOUR_MS <= now.getTime() && inserted.get(c.record.idempotencyKey)?.insertedNow,
    )
  ) {
    await requestUsageSubmission({
      trigger: "late",
      runAt: new Date(now.getTime() + settings.submitDelayMinutes * 60_000),
    });
  }

  const ordered = [...results.values()].sort((a, b) => a.index - b.index);
  const accepted = ordered.filter((r) => r.status === "accepted").length;
  const refusals = ordered.flatMap((r) => (r.status === "refused" ? [r.error] : []));
  telemetry.usageIngested(ordered.filter((r) => r.status === "accepted" && !r.replayed).length);
  telemetry.usageRefused(refusals.map((refusal) => refusal.code));
  if (refusals.length > 0)
    logger.info("usage records refused", {
      apiKeyId: options.apiKey.id,
      refused: refusals.length,
      codes: [...new Set(refusals.map((r) => r.code))],
    });
  return {
    status: httpStatus(envelope.batch, accepted, refusals),
    body: {
      accepted,
      refused: refusals.length,
      results: ordered,
      ...(!envelope.batch && refusals[0] ? { error: refusals[0] } : {}),
    },
  };
}

function conflict(idempotencyKey: string): UsageRefusal {
  return {
    code: "idempotency_conflict",
    field: "idempotencyKey",
    message: `The idempotency key "${idempotencyKey}" was already used for a different record; use a new key for new usage.`,
  };
}

function acceptedResult(index: number, stored: StoredRecord, replayed: boolean): UsageRecordResult {
  return {
    index,
    status: "accepted",
    idempotencyKey: stored.idempotencyKey,
    recordId: stored.id.toString(),
    hourStart: stored.hourStart.toISOString(),
    quantity: normalizeQuantity(stored.quantity) ?? stored.quantity,
    replayed,
  };
}

/** 202 when anything was accepted; otherwise the refusals' status when they agree, else 400. */
function httpStatus(batch: boolean, accepted: number, refusals: UsageRefusal[]): number {
  if (accepted > 0 || refusals.length === 0) return 202;
  const statuses = new Set(refusals.map(refusalStatus));
  return !batch || statuses.size === 1 ? refusalStatus(refusals[0] as UsageRefusal) : 400;
}

function checkRecord(
  record: UsageRecordInput,
  subscription: SubscriptionView | undefined,
  apiKey: AuthenticatedApiKey,
  now: Date,
  settings: MeteringSettings,
): { ok: true; hourStart: Date; subscription: SubscriptionView } | { ok: false; refusal: UsageRefusal } {
  if (!subscription || !keyMaySee(apiKey, subscription)) {
    return {
      ok: false,
      refusal: {
        code: "subscription_not_found",
        field: "subscriptionId",
        message: `No subscription ${record.subscriptionId} is known to the portal for this API key.`,
      },
    };
  }
  // Microsoft bills Subscribed subscriptions, and after a cancellation still the usage from before it (marketplace-contract.md §9.1).
  const beforeCancellation =
    subscription.status === "Unsubscribed" &&
    subscription.unsubscribedAt !== null &&
    record.effectiveAt < subscription.unsubscribedAt;
  if (subscription.status !== "Subscribed" && !beforeCancellation) {
    const message =
      subscription.status === "Unsubscribed"
        ? `Subscription ${subscription.id} was cancelled at ${subscription.unsubscribedAt?.toISOString() ?? "an unknown time"}; only usage from before then can still be billed.`
        : `Subscription ${subscription.id} is ${subscription.status}; Microsoft only bills usage of Subscribed subscriptions.`;
    return { ok: false, refusal: { code: "subscription_not_active", field: "subscriptionId", message } };
  }
  const time = checkUsageTime(record.effectiveAt, now, settings);
  if (!time.ok) return { ok: false, refusal: { code: time.code, field: "effectiveAt", message: time.message } };
  const max = toNano(normalizeQuantity(settings.maxQuantity) ?? "0") ?? 0n;
  if ((toNano(record.quantity) ?? 0n) > max) {
    return {
      ok: false,
      refusal: {
        code: "quantity_too_large",
        field: "quantity",
        message: `quantity ${record.quantity} is larger than the ${settings.maxQuantity} one record may carry (METERING_MAX_QUANTITY); check the unit.`,
      },
    };
  }
  return { ok: true, hourStart: time.hourStart, subscription };
}

/** The dimension must be on the subscription's current plan (one look-up per plan, cached). */
async function checkDimensions(
  candidates: Candidate[],
  subscriptions: Map<string, SubscriptionView>,
  refuse: (index: number, refusal: UsageRefusal, key: string) => void,
): Promise<Candidate[]> {
  const plans = new Map<string, Promise<MeteringDimension[]>>();
  for (const candidate of candidates) {
    const subscription = subscriptions.get(candidate.record.subscriptionId) as SubscriptionView;
    const key = `${subscription.offerId}/${subscription.planId}`;
    if (!plans.has(key))
      plans.set(
        key,
        findPlanDimensions({
          subscriptionId: subscription.id,
          offerId: subscription.offerId,
          planId: subscription.planId,
        }),
      );
  }
  const settled = new Map<string, MeteringDimension[] | undefined>();
  await Promise.all(
    [...plans].map(async ([key, promise]) => {
      try {
        settled.set(key, await promise);
      } catch (error) {
        logger.warn("plan dimensions could not be read", { plan: key, error });
        settled.set(key, undefined);
      }
    }),
  );
  return candidates.filter((candidate) => {
    const subscription = subscriptions.get(candidate.record.subscriptionId) as SubscriptionView;
    const dimensions = settled.get(`${subscription.offerId}/${subscription.planId}`);
    if (!dimensions) {
      refuse(
        candidate.index,
        {
          code: "plans_unavailable",
          message:
            "The plan's metering dimensions could not be read from Microsoft just now; nothing was recorded, please retry.",
        },
        candidate.record.idempotencyKey,
      );
      return false;
    }
    if (!dimensions.some((d) => d.id === candidate.record.dimension)) {
      const known = dimensions.map((d) => d.id);
      refuse(
        candidate.index,
        {
          code: "dimension_unknown",
          field: "dimension",
          message: `Dimension "${candidate.record.dimension}" is not on plan ${subscription.planId}; ${known.length > 0 ? `its dimensions are ${known.join(", ")}` : "the plan has no metering dimensions"}.`,
        },
        candidate.record.idempotencyKey,
      );
      return false;
    }
    return true;
  });
}

async function findStored(apiKeyId: string, keys: string[]): Promise<Map<string, StoredRecord>> {
  if (keys.length === 0) return new Map();
  const rows = await db().usageRecord.findMany({
    where: { apiKeyId, idempotencyKey: { in: keys } },
    select: { id: true, idempotencyKey: true, requestHash: true, hourStart: true, quantity: true },
  });
  return new Map(rows.map((row) => [row.idempotencyKey, { ...row, quantity: row.quantity.toFixed() }]));
}

/** One INSERT; a key taken meanwhile by a concurrent request is skipped and read back. */
async function insertRecords(
  apiKeyId: string,
  candidates: Candidate[],
): Promise<Map<string, StoredRecord & { insertedNow: boolean }>> {
  if (candidates.length === 0) return new Map();
  const created = await db().usageRecord.createManyAndReturn({
    data: candidates.map((c) => ({
      apiKeyId,
      idempotencyKey: c.record.idempotencyKey,
      requestHash: c.hash,
      subscriptionId: c.record.subscriptionId,
      dimension: c.record.dimension,
      quantity: c.record.quantity,
      effectiveAt: c.record.effectiveAt,
      hourStart: c.hourStart,
      planId: c.planId,
    })),
    skipDuplicates: true,
    select: { id: true, idempotencyKey: true, requestHash: true, hourStart: true, quantity: true },
  });
  const stored = new Map(
    created.map((row) => [row.idempotencyKey, { ...row, quantity: row.quantity.toFixed(), insertedNow: true }]),
  );
  const raced = candidates.map((c) => c.record.idempotencyKey).filter((key) => !stored.has(key));
  for (const [key, row] of await findStored(apiKeyId, raced)) stored.set(key, { ...row, insertedNow: false });
  return stored;
}
