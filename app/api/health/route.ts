import { NextResponse } from "next/server";
import { db, databaseKind } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Liveness/readiness for probes: is the database reachable? (Issue #5 extends it.) */
export async function GET() {
  const started = performance.now();
  try {
    await db().$queryRaw`SELECT 1`;
    return NextResponse.json({ status: "ok", checks: { database: { status: "ok", kind: databaseKind(), ms: Math.round(performance.now() - started) } } });
  } catch {
    return NextResponse.json({ status: "error", checks: { database: { status: "error", kind: databaseKind() } } }, { status: 503 });
  }
}
