/**
 * A web instance for tests/multi-instance.int.test.ts: the portal's own start-up (lib/startup.ts;
 * run it with WORKERS_ENABLED=false for a web-only instance), Microsoft's webhook served as the
 * standalone server serves it (its fast path, before anything else), and the route handlers of the
 * usage API and next-auth's endpoints with the portal's sign-in configuration — served by node:http. Next.js's router is left out: it holds nothing instances could share or
 * disagree on, and building the app takes minutes (the e2e tests run the real artefact, web and
 * worker processes). Requests are seen at PUBLIC_BASE_URL, the one origin a load balancer gives
 * every instance. Prints "listening <port>"; stops on SIGTERM.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Auth } from "@auth/core";
import { NextRequest } from "next/server";
import { POST as usage } from "../../app/api/usage/route";
import { authConfig } from "../../lib/auth/auth-config";
import { disconnectDatabase } from "../../lib/db";
import { portalEnv } from "../../lib/env";
import { startPortal } from "../../lib/startup";
import { createWebhookFastPath } from "../../lib/webhooks/serve-webhook-node";

async function handle(request: NextRequest): Promise<Response> {
  const { pathname } = request.nextUrl;
  if (request.method === "POST" && pathname === "/api/usage") return usage(request);
  // As auth.ts configures next-auth (the tenant provider is not needed here); next-auth sets basePath.
  if (pathname.startsWith("/api/auth/"))
    return Auth(request, { ...authConfig({ signInTenant: null }), basePath: "/api/auth" });
  return new Response("not found", { status: 404 });
}

async function serve(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const response = await handle(
    new NextRequest(new URL(req.url ?? "/", portalEnv().PUBLIC_BASE_URL), {
      method: req.method,
      headers,
      ...(body && req.method !== "GET" && req.method !== "HEAD" ? { body } : {}),
    }),
  );
  const outgoing: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") outgoing[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outgoing["set-cookie"] = cookies;
  res.writeHead(response.status, outgoing);
  res.end(Buffer.from(await response.arrayBuffer()));
}

await startPortal();
const serveWebhook = createWebhookFastPath();
const server = createServer((req, res) => {
  if (serveWebhook(req, res)) return;
  serve(req, res).catch((error: unknown) => {
    res.writeHead(500).end(error instanceof Error ? error.message : String(error));
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
  void disconnectDatabase().then(() => process.exit(0));
});
