/**
 * One HTTP attempt of an event delivery: POST the signed body to the checked address
 * (delivery-target.ts), with a deadline for the whole exchange, no redirects followed, and the
 * first characters of the answer kept for the console. Never throws: every way it can end is an
 * outcome.
 */
import "server-only";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Lookup } from "./delivery-target";
import { isTargetRefused, resolveDeliveryTarget, type DeliveryTarget } from "./delivery-target";

export type AttemptOutcome =
  "delivered" | "http_error" | "redirect" | "gone" | "timeout" | "network_error" | "refused_address";

export interface AttemptResult {
  startedAt: Date;
  latencyMs: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  /** What went wrong, in words (null when delivered). */
  error: string | null;
  responseExcerpt: string | null;
}

/** Characters of the endpoint's answer kept per attempt. */
export const EXCERPT_CHARS = 500;
const EXCERPT_BYTES = 4 * EXCERPT_CHARS;

/** Connects to the checked address whatever the name resolves to by now (the pin against DNS rebinding). */
function pinnedLookup(target: DeliveryTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

function excerptOf(chunks: Buffer[]): string | null {
  const text = Buffer.concat(chunks)
    .toString("utf8")
    // Control characters (other than line breaks and tabs) would garble the console.
    .replace(/\p{Cc}/gu, (character) => (character === "\n" || character === "\t" ? character : ""))
    .trim();
  if (!text) return null;
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

interface RawAnswer {
  statusCode: number;
  location: string | null;
  chunks: Buffer[];
}

function post(target: DeliveryTarget, headers: Record<string, string>, body: string, signal: AbortSignal) {
  return new Promise<RawAnswer>((resolve, reject) => {
    const client = target.url.protocol === "https:" ? https : http;
    const request = client.request(
      target.url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(target),
        // A connection of its own: a pooled one might have been opened to another address.
        agent: false,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () =>
          resolve({
            statusCode: response.statusCode ?? 0,
            location: typeof response.headers.location === "string" ? response.headers.location : null,
            chunks,
          });
        response.on("data", (chunk: Buffer) => {
          if (kept >= EXCERPT_BYTES) return;
          chunks.push(chunk.subarray(0, EXCERPT_BYTES - kept));
          kept += chunk.length;
          // Enough for the excerpt: the rest of a large answer is not read.
          if (kept >= EXCERPT_BYTES) {
            response.destroy();
            done();
          }
        });
        response.on("end", done);
        response.on("error", (error) => (kept >= EXCERPT_BYTES ? done() : reject(error)));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

export async function sendEvent(options: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowList: readonly string[];
  lookup?: Lookup;
}): Promise<AttemptResult> {
  const startedAt = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(options.timeoutMs);
  let target: DeliveryTarget;
  try {
    target = await resolveDeliveryTarget(options.url, options.allowList, options.lookup);
  } catch (error) {
    return {
      startedAt,
      latencyMs: elapsed(),
      outcome: isTargetRefused(error) ? "refused_address" : "network_error",
      statusCode: null,
      error: isTargetRefused(error) ? `Not sent: ${error.message}` : `Not sent: ${String(error)}`,
      responseExcerpt: null,
    };
  }
  try {
    const answer = await post(target, options.headers, options.body, signal);
    const latencyMs = elapsed();
    const responseExcerpt = excerptOf(answer.chunks);
    const { statusCode } = answer;
    const result = { startedAt, latencyMs, statusCode, responseExcerpt };
    if (statusCode >= 200 && statusCode < 300) return { ...result, outcome: "delivered", error: null };
    if (statusCode === 410)
      return { ...result, outcome: "gone", error: "The endpoint answered 410 Gone: it no longer takes events." };
    if (statusCode >= 300 && statusCode < 400)
      return {
        ...result,
        outcome: "redirect",
        error: `The endpoint answered ${statusCode}, a redirect${answer.location ? ` to ${answer.location.slice(0, 200)}` : ""}; redirects are not followed. Enter the final URL.`,
      };
    return { ...result, outcome: "http_error", error: `The endpoint answered ${statusCode}.` };
  } catch (error) {
    const latencyMs = elapsed();
    if (signal.aborted)
      return {
        startedAt,
        latencyMs,
        outcome: "timeout",
        statusCode: null,
        error: `No answer within ${options.timeoutMs / 1000} s.`,
        responseExcerpt: null,
      };
    const code = (error as { code?: string }).code;
    return {
      startedAt,
      latencyMs,
      outcome: "network_error",
      statusCode: null,
      error: `Could not deliver: ${code ?? (error instanceof Error ? error.message : String(error))}${code && error instanceof Error ? ` (${error.message})` : ""}.`,
      responseExcerpt: null,
    };
  }
}
