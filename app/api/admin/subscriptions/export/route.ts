import { currentPublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { exportSubscriptionsCsv } from "@/lib/admin/export-subscriptions-csv";
import { parseSubscriptionQuery } from "@/lib/admin/subscription-query";
import { logger } from "@/lib/logger";

export const dynamic = "force-dynamic";

const plain = (status: number, text: string) =>
  new Response(`${text}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });

/** The admin list's current search as CSV, streamed. Anyone but a publisher admin gets a plain 404. */
export async function GET(request: Request) {
  if (!(await currentPublisherAdmin())) return new Response("Not found", { status: 404 });
  const parsed = parseSubscriptionQuery(new URL(request.url).searchParams);
  if (!parsed.ok) return plain(400, parsed.reason);
  let csv: ReadableStream<Uint8Array>;
  try {
    csv = await exportSubscriptionsCsv(parsed.query);
  } catch (error) {
    logger.error("CSV export could not start", { error });
    return plain(503, "The export could not be read from the database. Try again in a moment.");
  }
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="subscriptions-${stamp}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
