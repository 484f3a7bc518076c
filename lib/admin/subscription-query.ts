/**
 * The subscriptions list's URL search params, validated once and shared by the page, the CSV
 * export and the tests. A malformed choice (status, sort, page…) falls back to its default (a
 * stale link shows the unfiltered list, never an error page); text the database cannot take is
 * refused with a reason (query-text.ts); strings are later bound as SQL parameters.
 */
import { z } from "zod";
import { single } from "./paging";
import { parseAdminQuery, queryText, type AdminQuery } from "./query-text";

export const SUBSCRIPTION_STATUSES = [
  "NotStarted",
  "PendingFulfillmentStart",
  "Subscribed",
  "Suspended",
  "Unsubscribed",
] as const;
export const SORT_KEYS = ["created", "updated", "name", "status", "offer", "plan"] as const;
export const PAGE_SIZE = 50;
/** Offset paging is cheap up to here; deeper than that an operator should search instead. */
export const MAX_PAGE = 200;

const yesNo = z.preprocess(single, z.enum(["yes", "no"]).optional().catch(undefined));

export const subscriptionQuerySchema = z.object({
  q: queryText("Search", 200),
  status: z.preprocess(single, z.enum(SUBSCRIPTION_STATUSES).optional().catch(undefined)),
  offer: queryText("Offer", 100),
  plan: queryText("Plan", 100),
  test: yesNo,
  trial: yesNo,
  /** Account setup (docs/decisions/0008): pending = the buyer has not finished it yet. */
  setup: z.preprocess(single, z.enum(["pending", "complete"]).optional().catch(undefined)),
  sort: z.preprocess(single, z.enum(SORT_KEYS).catch("created").default("created")),
  dir: z.preprocess(single, z.enum(["asc", "desc"]).catch("desc").default("desc")),
  // Huge or junk page numbers become a page we can serve (clamped again to the last page).
  page: z
    .preprocess(single, z.coerce.number().catch(1).default(1))
    .transform((page) => (Number.isFinite(page) && page >= 1 ? Math.min(Math.floor(page), MAX_PAGE) : 1)),
});

export type SubscriptionQuery = z.infer<typeof subscriptionQuerySchema>;

export function parseSubscriptionQuery(
  params: Record<string, string | string[] | undefined> | URLSearchParams,
): AdminQuery<SubscriptionQuery> {
  return parseAdminQuery(subscriptionQuerySchema, params);
}

/** The query as URL search params (defaults left out), for links that keep the current filters. */
export function subscriptionQueryString(
  query: Partial<SubscriptionQuery>,
  overrides: Partial<SubscriptionQuery> = {},
): string {
  const merged = { ...query, ...overrides };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value === undefined || value === "") continue;
    if (key === "page" && value === 1) continue;
    if (key === "sort" && value === "created") continue;
    if (key === "dir" && value === "desc") continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
