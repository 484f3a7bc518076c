import { NextResponse } from "next/server";
import { handoffKeys } from "@/lib/handoff/signing-keys";

export const dynamic = "force-dynamic";

/**
 * The public keys of the product hand-off (docs/decisions/0014): the key that signs now first,
 * and during a rollover the next or the previous one too. Products fetch it with jose's
 * createRemoteJWKSet, which fetches again when a token names a key it has not seen.
 */
export function GET() {
  return NextResponse.json(handoffKeys().jwks, {
    headers: {
      "cache-control": "public, max-age=300",
      "access-control-allow-origin": "*",
      "x-content-type-options": "nosniff",
    },
  });
}
