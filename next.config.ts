import type { NextConfig } from "next";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "./lib/http/server-action-limit";
import { PERMISSIONS_POLICY, STRICT_TRANSPORT_SECURITY } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // Native/wasm packages are loaded by Node at run time rather than bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "@azure/msal-node",
    // One engine per process, loaded by Node (lib/jobs/engine.ts keeps it on globalThis).
    "pg-boss",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // proxy.ts answers 413 above the same limit before Next.js reads the body.
    serverActions: { bodySizeLimit: SERVER_ACTION_BODY_LIMIT_BYTES },
    // What Next.js buffers of a body for proxy.ts (default 10 MB): no page takes more than an action.
    proxyClientMaxBodySize: SERVER_ACTION_BODY_LIMIT_BYTES,
  },
  // The webhook URL registered in Partner Center can be any path (read at build time).
  async rewrites() {
    const path = process.env.WEBHOOK_PATH;
    return path && path !== "/api/marketplace/webhook" && /^\/[\w\-/]+$/.test(path)
      ? [{ source: path, destination: "/api/marketplace/webhook" }]
      : [];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          // same-origin: the landing URL carries the purchase token, so it never leaves the site in a Referer;
          // unlike no-referrer, same-origin form posts keep their Origin header (Next checks it on server actions).
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
        ],
      },
      {
        // Behind a proxy that terminated TLS (pages also get it from proxy.ts when PUBLIC_BASE_URL is https).
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }],
      },
    ];
  },
};

export default nextConfig;
