/**
 * Whether a state-changing request (a form POST to a route handler) comes from one of our own
 * pages. Server actions check this themselves; route handlers that act for the signed-in user
 * call this. Browsers send Sec-Fetch-Site and Origin on every POST: a cross-site form is refused
 * by either. A client that sends neither is not a browser, so it cannot be a forged cross-site
 * form.
 */
export function isSameOriginRequest(options: {
  requestUrl: string;
  publicBaseUrl: string;
  secFetchSite: string | null;
  origin: string | null;
}): boolean {
  if (options.secFetchSite !== null && options.secFetchSite !== "same-origin") return false;
  if (options.origin === null) return true;
  const ours = new Set([new URL(options.publicBaseUrl).origin, new URL(options.requestUrl).origin]);
  return ours.has(options.origin);
}
