import "server-only";
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { listJobs } from "../jobs/job-store";
import { processWebhookEventJob } from "../webhooks/process-webhook-event";
import { ATTENTION_WEBHOOK_STATUSES, WEBHOOK_FILTERS } from "../webhooks/webhook-statuses";
import { STUCK_WEBHOOK_MS } from "./get-dashboard";
import { fetchPage, single } from "./paging";
import { queryText } from "./query-text";

export const webhookQuerySchema = z.object({
  status: z.preprocess(single, z.enum(WEBHOOK_FILTERS).optional().catch(undefined)),
  subscription: queryText("Subscription", 100),
  page: z.preprocess(single, z.coerce.number().int().min(1).max(1000).catch(1).default(1)),
});
export type WebhookQuery = z.infer<typeof webhookQuerySchema>;
const PAGE = 50;

/** Webhook deliveries, newest first; "stuck" = not processed after 10 minutes (its job gave up or is lost). */
export async function listWebhookEvents(query: WebhookQuery, now = new Date()) {
  const where: Prisma.WebhookEventWhereInput = {
    ...(query.status === "stuck"
      ? { status: { in: ["received", "processing"] }, receivedAt: { lt: new Date(now.getTime() - STUCK_WEBHOOK_MS) } }
      : query.status === "attention"
        ? { status: { in: ATTENTION_WEBHOOK_STATUSES } }
        : query.status
          ? { status: query.status }
          : {}),
    ...(query.subscription ? { subscriptionId: query.subscription.toLowerCase() } : {}),
  };
  return fetchPage({
    page: query.page,
    size: PAGE,
    count: () => db().webhookEvent.count({ where }),
    rows: (skip) =>
      db().webhookEvent.findMany({ where, orderBy: [{ receivedAt: "desc" }, { id: "desc" }], skip, take: PAGE }),
  });
}

export async function getWebhookEvent(id: string) {
  if (!z.uuid().safeParse(id).success) return null;
  const event = await db().webhookEvent.findUnique({ where: { id } });
  if (!event) return null;
  const jobs = await listJobs({ jobs: [processWebhookEventJob], data: { field: "eventId", equals: id }, limit: 10 });
  return { event, jobs };
}
