/**
 * Runs before every page (not /api or static files, see `config`): refuses a server-action body
 * over the limit with a plain 413 before Next.js reads it.
 */
import { NextResponse, type NextRequest } from "next/server";
import { serverActionBodyRefusal } from "@/lib/http/server-action-limit";

export function proxy(request: NextRequest) {
  const refusal = serverActionBodyRefusal(request.method, request.headers);
  if (refusal) return new NextResponse(`${refusal.reason}\n`, { status: refusal.status, headers: { "content-type": "text/plain; charset=utf-8" } });
  return NextResponse.next();
}

export const config = {
  matcher: [
    {
      // Route handlers (/api) read their own bodies with their own limits; here Next.js would
      // buffer each body for the proxy first. Prefetches are not documents.
      source: "/((?!api/|_next/static/|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
