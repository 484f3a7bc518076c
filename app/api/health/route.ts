import { NextResponse } from "next/server";
import { checkDatabase, checkHealth } from "@/lib/admin/check-health";

export const dynamic = "force-dynamic";

/**
 * Probes. `GET /api/health`: database, a token for the fulfillment app, Microsoft's API
 * reachable, the job queue — 503 when the portal cannot serve buyers (job trouble alone is
 * reported as `degraded` with 200). `?scope=database` checks only the database: for liveness
 * probes that must not restart the portal because Microsoft is down.
 */
export async function GET(request: Request) {
  if (new URL(request.url).searchParams.get("scope") === "database") {
    const database = await checkDatabase();
    return NextResponse.json(
      { status: database.status === "ok" ? "ok" : "error", checks: { database } },
      { status: database.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } },
    );
  }
  const report = await checkHealth();
  return NextResponse.json(report, {
    status: report.status === "error" ? 503 : 200,
    headers: { "cache-control": "no-store" },
  });
}
