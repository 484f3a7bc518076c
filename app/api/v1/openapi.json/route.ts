import { NextResponse } from "next/server";
import { entitlementsOpenApi } from "@/lib/entitlements/openapi";
import { portalEnv } from "@/lib/env";

export const dynamic = "force-dynamic";

/** The product-facing API's contract (OpenAPI 3.1). Public: it describes the API, not anyone's data. */
export function GET() {
  return NextResponse.json(entitlementsOpenApi(portalEnv().PUBLIC_BASE_URL), {
    headers: { "cache-control": "public, max-age=300" },
  });
}
