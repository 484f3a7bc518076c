/**
 * Runs before every page (not /api or static files, see `config`): refuses a server-action body
 * over the limit with a plain 413 before Next.js reads it, and sets the page's
 * Content-Security-Policy with a fresh nonce (Next.js reads it from the request's policy and puts
 * it on its own scripts), plus HSTS when the portal is reached over https. It also tells the page
 * which URL was asked for (`RETURN_PATH_HEADER`), so a layout that sends a signed-out visitor to
 * sign in can bring them back to it.
 */
import { randomBytes } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { authEnv, isDevelopment, portalEnv } from "@/lib/env";
import { serverActionBodyRefusal } from "@/lib/http/server-action-limit";
import { RETURN_PATH_HEADER, returnPathOf } from "@/lib/http/return-path";
import { contentSecurityPolicy, servedOverHttps, STRICT_TRANSPORT_SECURITY } from "@/lib/http/security-headers";

export function proxy(request: NextRequest) {
  const refusal = serverActionBodyRefusal(request.method, request.headers);
  if (refusal)
    return new NextResponse(`${refusal.reason}\n`, {
      status: refusal.status,
      headers: { "content-type": "text/plain; charset=utf-8" },
    });

  const https = servedOverHttps({
    publicBaseUrl: portalEnv().PUBLIC_BASE_URL,
    requestUrl: request.url,
    forwardedProto: request.headers.get("x-forwarded-proto"),
  });
  const policy = contentSecurityPolicy({
    nonce: randomBytes(16).toString("base64"),
    formActionOrigins: [new URL(authEnv().AUTH_MICROSOFT_ENTRA_ID_ISSUER).origin],
    development: isDevelopment(),
    https,
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  requestHeaders.set(RETURN_PATH_HEADER, returnPathOf(request.nextUrl));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  if (https) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
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
