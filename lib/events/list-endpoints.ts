/**
 * The console's view of event endpoints and their deliveries. Secrets are never read here: a
 * secret is shown once, when it is created or rotated (manage-endpoints.ts).
 */
import "server-only";
import { z } from "zod";
import { db } from "../db";
import type { EventDeliveryStatus } from "../generated/prisma/enums";
import { eventTypeName, type EventType } from "./event-types";

export interface EndpointSummary {
  id: string;
  url: string;
  description: string;
  /** Empty: every type. */
  eventTypes: EventType[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdAt: Date;
  secretRotatedAt: Date | null;
  /** While set and in the future, deliveries carry the previous secret's signature too. */
  previousSecretExpiresAt: Date | null;
  counts: Record<EventDeliveryStatus, number>;
  lastAttemptAt: Date | null;
}

const endpointFields = {
  id: true,
  url: true,
  description: true,
  eventTypes: true,
  enabled: true,
  disabledReason: true,
  disabledAt: true,
  createdAt: true,
  secretRotatedAt: true,
  previousSecretExpiresAt: true,
} as const;

async function summaries(where: { id?: string }): Promise<EndpointSummary[]> {
  const endpoints = await db().eventEndpoint.findMany({ where, select: endpointFields, orderBy: { createdAt: "asc" } });
  if (endpoints.length === 0) return [];
  const ids = endpoints.map((endpoint) => endpoint.id);
  const [counts, last] = await Promise.all([
    db().eventDelivery.groupBy({ by: ["endpointId", "status"], where: { endpointId: { in: ids } }, _count: true }),
    db().eventDelivery.groupBy({
      by: ["endpointId"],
      where: { endpointId: { in: ids } },
      _max: { lastAttemptAt: true },
    }),
  ]);
  return endpoints.map((endpoint) => ({
    ...endpoint,
    eventTypes: endpoint.eventTypes.map(eventTypeName),
    counts: {
      pending: 0,
      delivered: 0,
      dead_lettered: 0,
      ...Object.fromEntries(
        counts.filter((row) => row.endpointId === endpoint.id).map((row) => [row.status, row._count]),
      ),
    },
    lastAttemptAt: last.find((row) => row.endpointId === endpoint.id)?._max.lastAttemptAt ?? null,
  }));
}

export function listEndpoints(): Promise<EndpointSummary[]> {
  return summaries({});
}

export const DELIVERIES_PER_PAGE = 25;

/** The deliveries page's query (status filter and page), validated from the URL. */
export const deliveryQuerySchema = z.object({
  status: z.enum(["pending", "delivered", "dead_lettered"]).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});
export type DeliveryQuery = z.infer<typeof deliveryQuerySchema>;

export interface DeliveryView {
  id: string;
  status: EventDeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  deliveredAt: Date | null;
  deadLetteredAt: Date | null;
  deadLetterReason: string | null;
  event: {
    id: string;
    type: EventType;
    sequence: number;
    createdAt: Date;
    subscriptionId: string;
    /** Names from the event's own entitlement (the subscription's, the offer's), when it has them. */
    subscriptionName: string | null;
    offerName: string | null;
  };
  attempts: Array<{
    id: string;
    startedAt: Date;
    statusCode: number | null;
    latencyMs: number;
    outcome: string;
    error: string | null;
    responseExcerpt: string | null;
  }>;
}

function namesOf(payload: unknown): { subscriptionName: string | null; offerName: string | null } {
  const subscription = (payload as { subscription?: { name?: unknown; offer?: { name?: unknown } } } | null)
    ?.subscription;
  return {
    subscriptionName: typeof subscription?.name === "string" && subscription.name ? subscription.name : null,
    offerName: typeof subscription?.offer?.name === "string" ? subscription.offer.name : null,
  };
}

/** One endpoint with a page of its deliveries (newest first), each with every attempt; null when unknown. */
export async function getEndpointDeliveries(endpointId: string, query: DeliveryQuery) {
  const [endpoint] = await summaries({ id: endpointId });
  if (!endpoint) return null;
  const where = { endpointId, ...(query.status ? { status: query.status } : {}) };
  const [total, rows] = await Promise.all([
    db().eventDelivery.count({ where }),
    db().eventDelivery.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * DELIVERIES_PER_PAGE,
      take: DELIVERIES_PER_PAGE,
      include: {
        event: {
          select: { id: true, type: true, sequence: true, createdAt: true, subscriptionId: true, payload: true },
        },
        attempts: { orderBy: { startedAt: "desc" } },
      },
    }),
  ]);
  const deliveries: DeliveryView[] = rows.map((row) => ({
    id: row.id,
    status: row.status,
    attemptCount: row.attemptCount,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt,
    deadLetteredAt: row.deadLetteredAt,
    deadLetterReason: row.deadLetterReason,
    event: {
      id: row.event.id,
      type: eventTypeName(row.event.type),
      sequence: row.event.sequence,
      createdAt: row.event.createdAt,
      subscriptionId: row.event.subscriptionId,
      ...namesOf(row.event.payload),
    },
    attempts: row.attempts.map((attempt) => ({ ...attempt, id: attempt.id.toString() })),
  }));
  return { endpoint, deliveries, total, lastPage: Math.max(1, Math.ceil(total / DELIVERIES_PER_PAGE)) };
}
