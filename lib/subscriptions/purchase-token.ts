/**
 * The purchase identification token from the landing URL (?token=). Next's searchParams have
 * already percent-decoded it once, which is what Resolve expects (marketplace-contract.md §4.4); it
 * must not be decoded again. A literal `+` in the query string becomes a space on the way, so
 * spaces are turned back into `+`.
 */
const MAX_TOKEN_LENGTH = 8192;

export type PurchaseTokenResult = { ok: true; token: string } | { ok: false; reason: "missing" | "malformed" };

export function normalizePurchaseToken(raw: string | string[] | undefined | null): PurchaseTokenResult {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === null || value.trim() === "") return { ok: false, reason: "missing" };
  // Spaces first: a trailing "+" decoded to a space must not be trimmed away.
  const token = value.replace(/ /g, "+").trim();
  // Tokens are opaque, but always printable ASCII without whitespace and of bounded size.
  if (token.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) return { ok: false, reason: "malformed" };
  return { ok: true, token };
}

/** The landing URL for a token, encoded exactly once (used for the sign-in round trip). */
export function landingPathFor(token: string): string {
  return `/landing?token=${encodeURIComponent(token)}`;
}
