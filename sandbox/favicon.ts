/**
 * The sandbox's icon at /favicon.ico, which browsers request on their own (also next to the JSON
 * endpoints), so it is never a 404 in the console. SVG under the .ico name: the pages link it
 * with its type, and browsers go by the content type rather than the extension.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { requestUrl } from "./http";

export const FAVICON_PATH = "/favicon.ico";

// The banner's colours: a sand-coloured "S" on the sandbox accent.
const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#7a3e00"/><text x="16" y="23" text-anchor="middle" font-family="system-ui,sans-serif" font-size="20" font-weight="700" fill="#fff4e0">S</text></svg>`;

/** Answers GET/HEAD /favicon.ico and returns true, or returns false for every other request. */
export function serveFavicon(req: IncomingMessage, res: ServerResponse): boolean {
  if (requestUrl(req).pathname !== FAVICON_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
  res.writeHead(200, {
    "content-type": "image/svg+xml",
    "content-length": Buffer.byteLength(FAVICON_SVG),
    "cache-control": "public, max-age=86400",
  });
  res.end(req.method === "HEAD" ? undefined : FAVICON_SVG);
  return true;
}
