/**
 * Response headers that tell the browser what a page may do. The static ones go on every response
 * (next.config.ts); the Content-Security-Policy carries a nonce per request, so proxy.ts sets it
 * on pages, and Next.js puts the nonce on its own scripts (it reads it from the request's policy).
 */

/** Features the portal never uses, switched off for it and anything it might embed. */
export const PERMISSIONS_POLICY = [
  "camera",
  "microphone",
  "geolocation",
  "payment",
  "usb",
  "serial",
  "hid",
  "display-capture",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

/** One year; subdomains of the portal's own host included (not the parent domain's). */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/**
 * The headers every response carries (next.config.ts's `headers()`, and the standalone server's
 * webhook fast path, which answers before Next.js).
 */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // same-origin: the landing URL carries the purchase token, so it never leaves the site in a Referer;
  // unlike no-referrer, same-origin form posts keep their Origin header (Next checks it on server actions).
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
];

export interface CspOptions {
  nonce: string;
  /** Origins a form may post or be redirected to besides our own: the sign-in authority. */
  formActionOrigins: string[];
  /** `next dev`: React's dev build needs eval, and its style injection carries no nonce. */
  development: boolean;
  https: boolean;
}

export function contentSecurityPolicy(options: CspOptions): string {
  const nonce = `'nonce-${options.nonce}'`;
  return [
    "default-src 'self'",
    // strict-dynamic: the scripts Next.js loads from its nonce'd bootstrap are trusted, nothing else.
    `script-src 'self' ${nonce} 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${options.development ? "'unsafe-inline'" : nonce}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // Signing in and out posts to a server action that redirects to Entra; Chromium checks
    // form-action on each redirect of a form's navigation too (without JavaScript).
    `form-action 'self' ${options.formActionOrigins.join(" ")}`.trim(),
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * Whether the browser reached us over https: the configured public URL says so, or a proxy in
 * front terminated TLS and said so (x-forwarded-proto). A forged x-forwarded-proto over plain
 * http only adds headers that browsers ignore on http.
 */
export function servedOverHttps(options: {
  publicBaseUrl: string;
  requestUrl: string;
  forwardedProto: string | null;
}): boolean {
  if (new URL(options.publicBaseUrl).protocol === "https:" || new URL(options.requestUrl).protocol === "https:")
    return true;
  return options.forwardedProto?.split(",")[0]?.trim().toLowerCase() === "https";
}
