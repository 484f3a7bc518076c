/**
 * Microsoft's rules for one usage event (marketplace-contract.md §9.1–9.4), as a pure function so they can be
 * unit-tested without a server: shape, quantity > 0, a known and `Subscribed` resource, at most
 * one event per resource + dimension + clock hour, the 24-hour window, and a dimension of the
 * subscription's plan.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Catalog } from "../types";
import { findPlan } from "./catalog";
import type { StoredSubscription } from "./model";
import type { StoredUsageEvent } from "./usage-ledger";

/** §9.1: events older than 24 hours are Expired. */
export const USAGE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** An event a little in the future is let through: the ISV's clock may run slightly ahead. */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
/** Duplicates come back with this messageTime (§9.3). */
export const UNSET_MESSAGE_TIME = "0001-01-01T00:00:00";

export type UsageStatus =
  | "Accepted"
  | "Expired"
  | "Duplicate"
  | "Error"
  | "ResourceNotFound"
  | "ResourceNotAuthorized"
  | "ResourceNotActive"
  | "InvalidDimension"
  | "InvalidQuantity"
  | "BadArgument";

/** The fields of a `UsageEvent` as they came in: anything may be missing or of the wrong type. */
export interface UsageEventEcho {
  resourceId?: unknown;
  resourceUri?: unknown;
  quantity?: unknown;
  dimension?: unknown;
  effectiveStartTime?: unknown;
  planId?: unknown;
}

export type UsageVerdict =
  | { status: "Accepted"; event: StoredUsageEvent }
  | { status: Exclude<UsageStatus, "Accepted">; message: string; target?: string; accepted?: StoredUsageEvent };

export interface UsageRuleContext {
  now: Date;
  via: StoredUsageEvent["via"];
  catalog: Catalog;
  findSubscription(id: string): StoredSubscription | undefined;
  findAccepted(resourceId: string, dimension: string, hourStart: string): StoredUsageEvent | undefined;
}

const eventShape = z.object({
  resourceId: z.uuid(),
  quantity: z.number(),
  dimension: z.string().trim().min(1),
  effectiveStartTime: z.string().min(1),
  planId: z.string().trim().min(1),
});

/** The start of the UTC clock hour of an instant, as an ISO string (minute 0–59, §9.1). */
export function hourStartOf(date: Date): string {
  const hour = new Date(date.getTime());
  hour.setUTCMinutes(0, 0, 0);
  return hour.toISOString();
}

/** ISO 8601 date-time; a value without an offset is UTC, as the API documents its times. */
export function parseEventTime(value: string): Date | undefined {
  const text = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
  if (!/^\d{4}-\d{2}-\d{2}(T|$)/.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export function judgeUsageEvent(raw: UsageEventEcho, ctx: UsageRuleContext): UsageVerdict {
  if (raw.resourceUri !== undefined && raw.resourceId !== undefined) {
    return { status: "BadArgument", target: "resourceUri", message: "Use resourceId or resourceUri, never both." };
  }
  if (raw.resourceId === undefined && raw.resourceUri !== undefined) {
    return {
      status: "BadArgument",
      target: "resourceUri",
      message: "resourceUri is for managed applications; SaaS usage is reported with resourceId (the subscription id).",
    };
  }
  const parsed = eventShape.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "body");
    return {
      status: "BadArgument",
      target: field,
      message: `The ${field} field is missing or invalid${issue ? ` (${issue.message})` : ""}.`,
    };
  }
  const event = parsed.data;
  const effective = parseEventTime(event.effectiveStartTime);
  if (!effective)
    return {
      status: "BadArgument",
      target: "effectiveStartTime",
      message: "effectiveStartTime is not an ISO 8601 date-time.",
    };
  if (!Number.isFinite(event.quantity) || event.quantity <= 0) {
    return { status: "InvalidQuantity", target: "quantity", message: "The quantity must be greater than 0." };
  }

  const subscription = ctx.findSubscription(event.resourceId);
  if (!subscription)
    return { status: "ResourceNotFound", target: "resourceId", message: `Resource ${event.resourceId} was not found.` };
  const hourStart = hourStartOf(effective);
  const accepted = ctx.findAccepted(subscription.id, event.dimension, hourStart);
  if (accepted) {
    return { status: "Duplicate", message: "This usage event already exist.", accepted };
  }
  if (effective.getTime() < ctx.now.getTime() - USAGE_WINDOW_MS) {
    return {
      status: "Expired",
      target: "effectiveStartTime",
      message: "The usage event is older than 24 hours and can no longer be accepted.",
    };
  }
  if (effective.getTime() > ctx.now.getTime() + FUTURE_TOLERANCE_MS) {
    return { status: "BadArgument", target: "effectiveStartTime", message: "effectiveStartTime is in the future." };
  }
  // After a cancellation, usage from before it is still accepted inside the 24-hour window (§9.1).
  const beforeCancellation =
    subscription.status === "Unsubscribed" &&
    subscription.unsubscribedAt !== undefined &&
    effective.getTime() < Date.parse(subscription.unsubscribedAt);
  if ((subscription.status !== "Subscribed" && !beforeCancellation) || subscription.activationDueAt) {
    return {
      status: "ResourceNotActive",
      target: "resourceId",
      message: `Subscription ${subscription.id} is ${subscription.status}; usage is only accepted for Subscribed subscriptions (or from before a cancellation).`,
    };
  }
  if (event.planId !== subscription.planId) {
    return {
      status: "BadArgument",
      target: "planId",
      message: `Plan ${event.planId} is not the subscription's current plan.`,
    };
  }
  const plan = findPlan(ctx.catalog, subscription.offerId, subscription.planId);
  if (!plan?.meteringDimensions.some((d) => d.id === event.dimension)) {
    return {
      status: "InvalidDimension",
      target: "dimension",
      message: `Dimension ${event.dimension} is not defined on plan ${subscription.planId}.`,
    };
  }
  return {
    status: "Accepted",
    event: {
      usageEventId: randomUUID(),
      resourceId: subscription.id,
      dimension: event.dimension,
      hourStart,
      effectiveStartTime: effective.toISOString(),
      quantity: event.quantity,
      planId: event.planId,
      offerId: subscription.offerId,
      messageTime: ctx.now.toISOString(),
      via: ctx.via,
    },
  };
}

/** `UsageEventOkResponse` of an accepted event (also the `acceptedMessage` of a duplicate). */
export function acceptedMessage(event: StoredUsageEvent) {
  return {
    usageEventId: event.usageEventId,
    status: "Accepted",
    messageTime: event.messageTime,
    resourceId: event.resourceId,
    quantity: event.quantity,
    dimension: event.dimension,
    effectiveStartTime: event.effectiveStartTime,
    planId: event.planId,
  };
}

/** The echoed fields of a non-accepted item, as sent (Microsoft echoes the request). */
export function echo(raw: UsageEventEcho) {
  const pick = (value: unknown) => (typeof value === "string" || typeof value === "number" ? value : undefined);
  return {
    resourceId: pick(raw.resourceId),
    quantity: pick(raw.quantity),
    dimension: pick(raw.dimension),
    effectiveStartTime: pick(raw.effectiveStartTime),
    planId: pick(raw.planId),
  };
}

/** `UsageEventConflictResponse` / the `error` of a batch item. */
export function verdictError(verdict: Exclude<UsageVerdict, { status: "Accepted" }>) {
  if (verdict.status === "Duplicate" && verdict.accepted) {
    return {
      code: "Conflict",
      message: verdict.message,
      additionalInfo: { acceptedMessage: acceptedMessage(verdict.accepted) },
    };
  }
  return { code: verdict.status, message: verdict.message, ...(verdict.target ? { target: verdict.target } : {}) };
}
