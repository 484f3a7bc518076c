import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { SERVER_ACTION_BODY_LIMIT_BYTES } from "./lib/http/server-action-limit";
import { STATIC_SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from "./lib/http/security-headers";
import { customWebhookPath, DEFAULT_WEBHOOK_PATH } from "./lib/webhooks/webhook-paths";

const nextConfig: NextConfig = {
  // The production artefact: .next/standalone runs with `node server.js` (web) and `node worker.js`
  // (workers, no HTTP), completed by scripts/complete-standalone.ts (README "Production setup").
  output: "standalone",
  // Read from disk at run time (by path, so the build cannot see them): the migrations and the
  // schema the start-up applies, the WebAssembly schema engine that applies them, the offer catalog.
  outputFileTracingIncludes: {
    "/**": [
      "./prisma/schema.prisma",
      "./prisma/migrations/**/*",
      "./node_modules/@prisma/schema-engine-wasm/schema_engine_bg.wasm",
      "./config/**/*",
    ],
  },
  // Native/wasm packages are loaded by Node at run time rather than bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "@azure/msal-node",
    // One engine per process, loaded by Node (lib/jobs/engine.ts keeps it on globalThis).
    "pg-boss",
    // OpenTelemetry: one API for every bundle and Next.js itself; the SDK is loaded by Node only
    // when telemetry is on (lib/telemetry/start-telemetry.ts, docs/decisions/0017).
    "@opentelemetry/api",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/sdk-metrics",
    "@opentelemetry/resources",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/exporter-trace-otlp-proto",
    "@opentelemetry/exporter-metrics-otlp-http",
    "@opentelemetry/exporter-metrics-otlp-proto",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // proxy.ts answers 413 above the same limit before Next.js reads the body.
    serverActions: { bodySizeLimit: SERVER_ACTION_BODY_LIMIT_BYTES },
    // What Next.js buffers of a body for proxy.ts (default 10 MB): no page takes more than an action.
    proxyClientMaxBodySize: SERVER_ACTION_BODY_LIMIT_BYTES,
  },
  // The webhook URL registered in Partner Center can be any path (read at build time here; the
  // standalone server's webhook fast path reads the same variable when it starts).
  async rewrites() {
    const path = customWebhookPath(process.env.WEBHOOK_PATH);
    return path ? [{ source: path, destination: DEFAULT_WEBHOOK_PATH }] : [];
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [...STATIC_SECURITY_HEADERS],
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

// Messages per request: locale from the visitor's choice or Accept-Language, no locale in URLs (lib/i18n/request.ts).
export default createNextIntlPlugin({
  requestConfig: "./lib/i18n/request.ts",
  experimental: { messages: { path: "./messages", format: "json", locales: "infer", precompile: true } },
})(nextConfig);
