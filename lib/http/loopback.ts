/**
 * Whether a URL's hostname (as `new URL()` normalises it) names this machine: `localhost`, an
 * address in 127.0.0.0/8, or `[::1]`. Only there may the portal speak plain http, to a
 * developer's local emulator; names that merely resolve to loopback (`*.localhost`, DNS) do not
 * count, since where they point is decided elsewhere.
 */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}
