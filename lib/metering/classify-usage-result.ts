/**
 * What one answer from the Metering API means for an hour of usage (marketplace-contract.md §9.4,
 * §9.7): billed, already billed, lost (expired), to fix by hand, held while the subscription is
 * not active, or to retry. Pure, so every branch is unit-tested.
 */
import "server-only";
import { isMarketplaceError } from "../marketplace/errors";
import type { BatchUsageEventItem } from "../marketplace/schemas";
import { normalizeQuantity, sameQuantity } from "./quantity";

export const usageHourStatuses = [
  "pending",
  "submitting",
  "accepted",
  "duplicate",
  "expired",
  "failed",
  "held",
  "skipped",
] as const;
export type UsageHourStatus = (typeof usageHourStatuses)[number];

/** An hour claimed for a call (status `submitting`). */
export interface ClaimedHour {
  id: bigint;
  subscriptionId: string;
  dimension: string;
  hourStart: Date;
  /** Decimal as text. */
  quantity: string;
  planId: string;
  /** Calls so far, this one included: above 1, Microsoft may already have our event. */
  attempts: number;
}

export type UsageAlert = "expired" | "quantity_mismatch" | "failed";

export interface HourOutcome {
  id: bigint;
  status: UsageHourStatus;
  usageEventId: string | null;
  billedQuantity: string | null;
  lastStatus: string;
  lastError: string | null;
  nextAttemptAt: Date | null;
  resolvedAt: Date | null;
  quantityMismatch: boolean;
  alert?: UsageAlert;
}

/** Retries of one hour: 1 min, 2, 4, … up to 30 min, with jitter so many hours do not retry in step. */
export const RETRY_BASE_MS = 60_000;
export const RETRY_MAX_MS = 30 * 60_000;
/** A subscription that is not active (suspended) may be reinstated: try again every half hour until the window closes. */
export const HELD_RETRY_MS = 30 * 60_000;
/** Wrong credentials or app registration will not fix themselves within seconds. */
const AUTH_RETRY_MS = 15 * 60_000;

export function retryDelayMs(attempts: number, random = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

const needsAHuman: Record<string, string> = {
  ResourceNotFound: "Microsoft does not know this subscription id.",
  ResourceNotAuthorized:
    "The subscription belongs to another publisher, or the token is for an app other than the offer's (Partner Center → Technical configuration).",
  InvalidDimension: "The dimension is not defined on the subscription's plan in Partner Center.",
  InvalidQuantity: "Microsoft refused the quantity.",
  BadArgument: "Microsoft refused the event as malformed.",
};

function base(hour: ClaimedHour, lastStatus: string): HourOutcome {
  return {
    id: hour.id,
    status: "pending",
    usageEventId: null,
    billedQuantity: null,
    lastStatus,
    lastError: null,
    nextAttemptAt: null,
    resolvedAt: null,
    quantityMismatch: false,
  };
}

/** The hour goes back to `pending`, to be sent again at its next attempt time. */
export function retryLater(
  hour: ClaimedHour,
  lastStatus: string,
  lastError: string,
  now: Date,
  delayMs = retryDelayMs(hour.attempts),
): HourOutcome {
  return { ...base(hour, lastStatus), status: "pending", lastError, nextAttemptAt: new Date(now.getTime() + delayMs) };
}

/** `repeated`: this call itself went out more than once (the client retried after a timeout or a 5xx). */
export function classifyUsageItem(
  hour: ClaimedHour,
  item: BatchUsageEventItem | undefined,
  now: Date,
  call: { repeated?: boolean } = {},
): HourOutcome {
  if (!item)
    return retryLater(
      hour,
      "NoResult",
      "Microsoft's answer had no result for this event; it will be sent again (a Duplicate then confirms it).",
      now,
    );
  const message = item.error?.message?.trim() || item.error?.code || item.status;
  switch (item.status) {
    case "Accepted": {
      const billed =
        item.quantity === null || item.quantity === undefined
          ? hour.quantity
          : (normalizeQuantity(item.quantity) ?? hour.quantity);
      return {
        ...base(hour, "Accepted"),
        status: "accepted",
        usageEventId: item.usageEventId ?? null,
        billedQuantity: billed,
        resolvedAt: now,
      };
    }
    case "Duplicate":
      return classifyDuplicate(hour, item, now, hour.attempts > 1 || call.repeated === true);
    case "Expired":
      return {
        ...base(hour, "Expired"),
        status: "expired",
        lastError: `Microsoft refused the hour as older than 24 hours: this usage can no longer be billed (${message}).`,
        resolvedAt: now,
        alert: "expired",
      };
    case "ResourceNotActive":
      return {
        ...base(hour, "ResourceNotActive"),
        status: "held",
        lastError: `The subscription is not active at Microsoft (${message}); retried every ${HELD_RETRY_MS / 60_000} min while the 24-hour window lasts.`,
        nextAttemptAt: new Date(now.getTime() + HELD_RETRY_MS),
      };
    case "Error":
      return retryLater(hour, "Error", `Microsoft answered Error (${message}); retried with backoff.`, now);
    default: {
      const advice = needsAHuman[item.status];
      if (advice)
        return {
          ...base(hour, item.status),
          status: "failed",
          lastError: `${advice} (${item.status}: ${message})`,
          resolvedAt: now,
          alert: "failed",
        };
      return retryLater(
        hour,
        item.status,
        `Unknown status ${item.status} from Microsoft (${message}); retried with backoff.`,
        now,
      );
    }
  }
}

/**
 * Microsoft already has an event for this hour. With our quantity and an earlier send of ours
 * (`sentBefore`: a crash or timeout after Microsoft took it, an earlier claim or the client's own
 * retry within this call) it is our own event: accepted. Otherwise it is "already billed" — and an
 * alert when Microsoft billed another quantity than ours.
 */
function classifyDuplicate(hour: ClaimedHour, item: BatchUsageEventItem, now: Date, sentBefore: boolean): HourOutcome {
  const accepted = item.error?.additionalInfo?.acceptedMessage;
  const billed =
    accepted?.quantity === null || accepted?.quantity === undefined
      ? null
      : (normalizeQuantity(accepted.quantity) ?? null);
  const outcome: HourOutcome = {
    ...base(hour, "Duplicate"),
    status: "duplicate",
    usageEventId: accepted?.usageEventId ?? null,
    billedQuantity: billed,
    resolvedAt: now,
  };
  if (billed === null)
    return {
      ...outcome,
      lastError:
        "Microsoft reports this hour as already billed but did not return the accepted event: check it in Partner Center.",
    };
  if (!sameQuantity(billed, hour.quantity)) {
    return {
      ...outcome,
      quantityMismatch: true,
      alert: "quantity_mismatch",
      lastError: `Microsoft already billed ${billed} for this hour (event ${accepted?.usageEventId ?? "unknown"}); the portal has ${hour.quantity}. The difference is not billed.`,
    };
  }
  return sentBefore ? { ...outcome, status: "accepted" } : outcome;
}

/** A whole call failed. "split": Microsoft refused the batch as such; send its events one by one to find the bad one. */
export function classifyBatchFailure(
  hour: ClaimedHour,
  error: unknown,
  now: Date,
  batchSize: number,
): HourOutcome | "split" {
  if (isMarketplaceError(error)) {
    const detail = error.message;
    switch (error.kind) {
      case "bad_request":
      case "not_found":
      case "conflict":
        if (batchSize > 1) return "split";
        return {
          ...base(hour, `HTTP ${error.status ?? "4xx"}`),
          status: "failed",
          lastError: `Microsoft refused the event: ${detail}`,
          resolvedAt: now,
          alert: "failed",
        };
      case "forbidden":
      case "authentication":
        return retryLater(
          hour,
          error.kind,
          `${detail}. Check the fulfillment app's credentials and its registration in Partner Center.`,
          now,
          Math.max(AUTH_RETRY_MS, retryDelayMs(hour.attempts)),
        );
      case "throttled":
        return retryLater(hour, "HTTP 429", `Throttled by Microsoft (${detail}); retried with backoff.`, now);
      case "unavailable":
      case "timeout":
      case "invalid_response":
        return retryLater(
          hour,
          error.kind,
          `${detail}; retried with backoff (if Microsoft took it, the retry comes back as a Duplicate and counts as billed).`,
          now,
        );
    }
  }
  return retryLater(
    hour,
    "error",
    `${error instanceof Error ? error.message : String(error)}; retried with backoff.`,
    now,
  );
}
