/**
 * The portal's webhook endpoint for integration tests: a small HTTP server that hands each POST to
 * the same `receiveWebhook` the Next route uses, and keeps the requests it saw (to replay them).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { receiveWebhook } from "@/lib/webhooks/receive-webhook";
import { webhookVerifier } from "@/lib/webhooks/webhook-verifier";

export interface ReceivedRequest {
  authorization: string | null;
  body: string;
  status: number;
}

export async function startWebhookReceiver() {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      void (async () => {
        const authorization = req.headers.authorization ?? null;
        try {
          const receipt = await receiveWebhook({ authorization, body, verify: webhookVerifier() });
          received.push({ authorization, body, status: receipt.status });
          res.writeHead(receipt.status, { "content-type": "application/json" });
          res.end(JSON.stringify(receipt.body));
        } catch (error) {
          received.push({ authorization, body, status: 503 });
          res.writeHead(503);
          res.end(String(error));
        }
      })();
    });
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
