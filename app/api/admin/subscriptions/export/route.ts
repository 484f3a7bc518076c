import { currentPublisherAdmin } from "@/lib/auth/require-publisher-admin";
import { exportSubscriptionsCsv } from "@/lib/admin/export-subscriptions-csv";
import { parseSubscriptionQuery } from "@/lib/admin/subscription-query";

export const dynamic = "force-dynamic";

/** The admin list's current search as CSV, streamed. Anyone but a publisher admin gets a plain 404. */
export async function GET(request: Request) {
  if (!(await currentPublisherAdmin())) return new Response("Not found", { status: 404 });
  const query = parseSubscriptionQuery(new URL(request.url).searchParams);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(exportSubscriptionsCsv(query), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="subscriptions-${stamp}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
