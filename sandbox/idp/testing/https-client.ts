/**
 * A tiny browser-like HTTPS client for tests: trusts the sandbox CA explicitly (no
 * NODE_EXTRA_CA_CERTS needed in-process), keeps cookies (name + path; one host), and never
 * follows redirects on its own so tests can inspect every hop.
 */
import { request as httpsRequest } from "node:https";

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Absolute Location, when there is one. */
  location?: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

export class SandboxHttpClient {
  readonly #ca: string;
  readonly #cookies = new Map<string, StoredCookie>();

  constructor(ca: string) {
    this.#ca = ca;
  }

  cookieNames(): string[] {
    return [...this.#cookies.values()].map((c) => c.name);
  }

  #cookieHeader(path: string): string | undefined {
    const matching = [...this.#cookies.values()].filter(
      (c) => path === c.path || path.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`),
    );
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join("; ") : undefined;
  }

  #storeCookies(setCookie: string[] | undefined, requestPath: string): void {
    for (const header of setCookie ?? []) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = requestPath.replace(/\/[^/]*$/, "") || "/";
      let expired = value === "";
      for (const attribute of attributes) {
        const [key = "", attrValue = ""] = attribute.split("=").map((s) => s.trim());
        if (key.toLowerCase() === "path") path = attrValue || "/";
        if (key.toLowerCase() === "max-age" && Number(attrValue) <= 0) expired = true;
        if (key.toLowerCase() === "expires" && Date.parse(attrValue) <= Date.now()) expired = true;
      }
      const id = `${name}|${path}`;
      if (expired) this.#cookies.delete(id);
      else this.#cookies.set(id, { name, value, path });
    }
  }

  request(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const target = new URL(url);
    const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
    const headers: Record<string, string> = { accept: "text/html,application/json", ...options.headers };
    const cookie = this.#cookieHeader(target.pathname);
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        target,
        { method: options.method ?? (body ? "POST" : "GET"), headers, ca: this.#ca },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            this.#storeCookies(res.headers["set-cookie"], target.pathname);
            const location = res.headers.location ? new URL(res.headers.location, target).href : undefined;
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString("utf8"),
              location,
            });
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  async json<T = unknown>(url: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
    const response = await this.request(url, {
      ...options,
      headers: { accept: "application/json", ...options.headers },
    });
    return { status: response.status, body: JSON.parse(response.body) as T };
  }

  /**
   * Follows redirects from `url` until one leaves `origin` (returned as `exitUrl`) or a page is
   * shown (returned as `page`).
   */
  async followWithin(
    origin: string,
    url: string,
    maxHops = 15,
  ): Promise<{ exitUrl?: string; page?: HttpResponse; hops: string[] }> {
    const hops: string[] = [];
    let next = url;
    for (let i = 0; i < maxHops; i++) {
      if (new URL(next).origin !== origin) return { exitUrl: next, hops };
      hops.push(next);
      const response = await this.request(next);
      if (response.status >= 300 && response.status < 400 && response.location) {
        next = response.location;
        continue;
      }
      return { page: response, hops };
    }
    throw new Error(`Too many redirects: ${hops.join(" -> ")}`);
  }
}

/** Reads the hidden and visible inputs of the first form on a page, with its action. */
export function readForm(html: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const form = html.match(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i);
  if (!form?.[1]) throw new Error("No form on the page");
  const named: Record<string, string> = { quot: '"', apos: "'", lt: "<", gt: ">", amp: "&" };
  const decode = (s: string) =>
    s.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(\w+));/gi, (entity, dec?: string, hex?: string, name?: string) => {
      if (dec) return String.fromCodePoint(Number(dec));
      if (hex) return String.fromCodePoint(parseInt(hex, 16));
      return named[name?.toLowerCase() ?? ""] ?? entity;
    });
  const fields: Record<string, string> = {};
  for (const input of form[2]?.matchAll(/<input\b[^>]*>/gi) ?? []) {
    const name = input[0].match(/\bname="([^"]*)"/)?.[1];
    const value = input[0].match(/\bvalue="([^"]*)"/)?.[1] ?? "";
    if (name) fields[decode(name)] = decode(value);
  }
  return { action: new URL(decode(form[1]), pageUrl).href, fields };
}
