/**
 * The portal's webhook endpoint for integration tests: a small HTTP server that hands each POST to
 * the standalone server's webhook fast path (serveWebhookDelivery: the route handler's answer on
 * Node's http), and keeps the requests it saw (to replay them).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serveWebhookDelivery } from "@/lib/webhooks/serve-webhook-node";

export interface ReceivedRequest {
  authorization: string | null;
  body: string;
  status: number;
}

export async function startWebhookReceiver() {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    serveWebhookDelivery(req, res).then(
      (served) => received.push({ ...served, body: served.body ?? "" }),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/marketplace/webhook`;
  return {
    url,
    received,
    /** Posts a body with a given Authorization header, as Microsoft (or a forger) would. */
    async post(body: string, authorization: string | null): Promise<{ status: number; json: unknown }> {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
        body,
      });
      return { status: response.status, json: await response.json().catch(() => null) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
