/**
 * Where a signed-out visitor goes back to after sign-in. A layout is not told which URL it renders
 * for, so proxy.ts puts the path and query the browser asked for on the request in this header,
 * and requireBuyer reads it. Only a path on this site is ever used: proxy.ts does not see
 * prefetches, so there the header may come from the client, and a sign-in must never end on
 * another site.
 */
export const RETURN_PATH_HEADER = "x-portal-return-path";

const RSC_QUERY = "_rsc"; // Next's cache-busting parameter on client navigations, not part of the page's address

/** The path and query of a page request, as the visitor would bookmark it. */
export function returnPathOf(url: URL): string {
  const search = new URLSearchParams(url.search);
  search.delete(RSC_QUERY);
  const query = search.toString();
  return query ? `${url.pathname}?${query}` : url.pathname;
}

/** `value` when it is a path on this site, else `fallback`. */
export function safeReturnPath(value: string | null | undefined, fallback: string): string {
  if (!value || value.length > 2048) return fallback;
  // A browser reads "//host" and "/\host" as another site; control characters have no place in a path.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return /^\/(?![/\\])/.test(value) && !/[\\\u0000-\u001f\u007f]/.test(value) ? value : fallback;
}
