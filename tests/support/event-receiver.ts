/**
 * A stand-in for the ISV's event endpoint in integration tests: a small HTTP server that records
 * every POST (headers and raw body) and answers as the test tells it — a status, a redirect, or
 * no answer until released (a slow endpoint).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface ReceivedEvent {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered (null while it is held). */
  answered: number | null;
}

export type Answer =
  | { status: number; body?: string; headers?: Record<string, string> }
  /** Hold the request open until `release()`. */
  | "hold";

export async function startEventReceiver(options: { host?: string; tls?: { key: string; cert: string } } = {}) {
  const received: ReceivedEvent[] = [];
  /** Answers in order, one per request; when they run out, `fallback`. */
  const script: Answer[] = [];
  let fallback: Answer = { status: 204 };
  const held: Array<() => void> = [];
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry: ReceivedEvent = {
        path: request.url ?? "/",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        answered: null,
      };
      received.push(entry);
      const answer = script.shift() ?? fallback;
      const reply = (status: number, body = "", headers: Record<string, string> = {}) => {
        entry.answered = status;
        if (response.destroyed) return;
        response.writeHead(status, { "content-type": "text/plain", ...headers });
        response.end(body);
      };
      if (answer === "hold") held.push(() => reply(200, "late"));
      else reply(answer.status, answer.body ?? "", answer.headers ?? {});
    });
  };
  const server: Server = options.tls ? createTlsServer(options.tls, handle) : createServer(handle);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = "/events", name = host.includes(":") ? `[${host}]` : host) =>
      `${options.tls ? "https" : "http"}://${name}:${port}${path}`,
    received,
    /** The next requests are answered like this, in order. */
    answerNext(...answers: Answer[]) {
      script.push(...answers);
    },
    /** Every request beyond the scripted ones. */
    answerAlways(answer: Answer) {
      fallback = answer;
    },
    /** Answers every held request (200). */
    release() {
      for (const answer of held.splice(0)) answer();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
