/**
 * Purchase (landing-page) tokens. Microsoft's are opaque blobs that need URL-encoding in the
 * landing URL and must be decoded exactly once before Resolve (marketplace-contract.md §4.4). Ours are standard
 * base64 of random bytes and always contain `+`, `/` and `=`, so a portal that forgets to decode,
 * decodes twice or turns `+` into a space gets caught by Resolve.
 */
import { createHash, randomBytes } from "node:crypto";

/** 49 bytes → 68 base64 characters ending in `==`. */
const TOKEN_BYTES = 49;
const TOKEN_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

export function generatePurchaseToken(): string {
  for (;;) {
    const token = randomBytes(TOKEN_BYTES).toString("base64");
    if (token.includes("+") && token.includes("/")) return token;
  }
}

export function hashPurchaseToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Why a token cannot be a purchase token at all, or undefined when its shape is fine. */
export function malformedTokenReason(token: string): string | undefined {
  if (token.trim() === "") return "the x-ms-marketplace-token header is empty";
  if (TOKEN_PATTERN.test(token)) return undefined;
  if (token.includes(" "))
    return "it contains spaces (a '+' was probably decoded to a space; marketplace-contract.md §4.4)";
  if (/%[0-9A-Fa-f]{2}/.test(token))
    return "it is still URL-encoded (decode the token query value once; marketplace-contract.md §4.4)";
  return "it contains characters that never occur in a purchase token";
}
