/**
 * The body of `POST /api/usage`: one record, or `{ records: [...] }` (at most
 * MAX_RECORDS_PER_REQUEST). The envelope is parsed first and each record on its own, so one bad
 * record is refused with its reason while the others go through.
 */
import "server-only";
import { z } from "zod";
import { normalizeQuantity } from "./quantity";
import type { UsageRefusal } from "./usage-refusals";

export const MAX_RECORDS_PER_REQUEST = 1000;

/** ISO 8601 with an explicit offset: a time without one would be read in the server's zone. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export function parseUsageTime(text: string): Date | undefined {
  const match = ISO_WITH_OFFSET.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.parse turns 2026-02-30 into March 2; a calendar date that does not exist is refused instead.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

const quantity = z.union([z.number(), z.string()]).transform((value, context) => {
  const normalized = normalizeQuantity(value);
  if (normalized === undefined) {
    context.addIssue({
      code: "custom",
      message: "must be a finite number ≥ 0 (a JSON number, or a decimal string with at most 9 decimals)",
    });
    return z.NEVER;
  }
  return normalized;
});

export const usageRecordSchema = z.object({
  subscriptionId: z.guid("must be the marketplace subscription id (a GUID)").transform((id) => id.toLowerCase()),
  dimension: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  quantity,
  effectiveAt: z.string().transform((text, context) => {
    const date = parseUsageTime(text);
    if (!date) {
      context.addIssue({
        code: "custom",
        message:
          "must be an ISO 8601 date-time with a UTC offset, e.g. 2026-11-25T10:15:00Z or 2026-11-25T11:15:00+01:00",
      });
      return z.NEVER;
    }
    return date;
  }),
  idempotencyKey: z
    .string()
    .min(1, "is required")
    .max(200, "must be at most 200 characters")
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
});
export type UsageRecordInput = z.infer<typeof usageRecordSchema>;

const batchSchema = z.object({
  records: z
    .array(z.unknown())
    .min(1, "must hold at least one record")
    .max(MAX_RECORDS_PER_REQUEST, `must hold at most ${MAX_RECORDS_PER_REQUEST} records`),
});

export type UsageEnvelope = { ok: true; batch: boolean; records: unknown[] } | { ok: false; refusal: UsageRefusal };

export function parseUsageEnvelope(body: unknown): UsageEnvelope {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return {
      ok: false,
      refusal: { code: "invalid_body", message: 'The body must be a usage record or { "records": [ ... ] }.' },
    };
  }
  if (!("records" in body)) return { ok: true, batch: false, records: [body] };
  const parsed = batchSchema.safeParse(body);
  if (!parsed.success)
    return {
      ok: false,
      refusal: {
        code: "invalid_body",
        field: "records",
        message: `records ${parsed.error.issues[0]?.message ?? "is invalid"}.`,
      },
    };
  return { ok: true, batch: true, records: parsed.data.records };
}

export function parseUsageRecord(
  raw: unknown,
): { ok: true; record: UsageRecordInput } | { ok: false; refusal: UsageRefusal } {
  const parsed = usageRecordSchema.safeParse(raw);
  if (parsed.success) return { ok: true, record: parsed.data };
  const issue = parsed.error.issues[0];
  const field = issue?.path[0] === undefined ? undefined : String(issue.path[0]);
  if (!field || typeof raw !== "object" || raw === null)
    return { ok: false, refusal: { code: "invalid_record", message: "The record must be a JSON object." } };
  const missing = (raw as Record<string, unknown>)[field] === undefined;
  const message = issue?.message ?? "";
  const detail = missing ? "is required" : /^(must|is) /.test(message) ? message : `is invalid (${message})`;
  return { ok: false, refusal: { code: "invalid_record", field, message: `${field} ${detail}.` } };
}
