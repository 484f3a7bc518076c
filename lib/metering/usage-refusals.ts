/**
 * Why `POST /api/usage` refuses a request or a record: a closed set of codes, each with an HTTP
 * status, so the product can branch on `code` and a person can read `message`.
 */
import "server-only";

export const usageRefusals = {
  unauthenticated: 401, // no key, a malformed, unknown or revoked key
  forbidden: 403, // the key lacks the usage:write scope
  invalid_json: 400,
  invalid_body: 400, // neither a record nor { records: [...] }, or too many records
  invalid_record: 400, // a field is missing or malformed (the message names it)
  subscription_not_found: 404, // unknown, or outside the key's offers/tenants: the same answer, so a key learns nothing about others' subscriptions
  subscription_not_active: 409, // not Subscribed: Microsoft bills active subscriptions only (marketplace-contract.md §9.1)
  idempotency_conflict: 409, // this idempotency key was used with another record
  dimension_unknown: 422, // not a metering dimension of the subscription's current plan
  quantity_too_large: 422,
  time_too_old: 422, // outside Microsoft's 24-hour window (minus our delivery margin)
  time_in_future: 422,
  rate_limited: 429, // more records per minute than METERING_RATE_LIMIT_PER_MINUTE allows this key; retry after Retry-After
  plans_unavailable: 503, // the plan's dimensions could not be read from Microsoft; retry
  unavailable: 503, // the portal could not record the usage (e.g. its database); retry as is
} as const;

export type UsageRefusalCode = keyof typeof usageRefusals;

export interface UsageRefusal {
  code: UsageRefusalCode;
  message: string;
  /** The record field at fault, when there is one. */
  field?: string;
}

export function refusalStatus(refusal: UsageRefusal): number {
  return usageRefusals[refusal.code];
}
