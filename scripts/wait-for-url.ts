import { readFileSync } from "node:fs";
import { request } from "node:https";
import { request as httpRequest } from "node:http";

/** Polls a URL until it answers 2xx (https with an optional CA file), or throws after the timeout. */
export async function waitForUrl(url: string, options: { ca?: string; timeoutMs: number }): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const ca = options.ca ? readFileSync(options.ca) : undefined;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const target = new URL(url);
      const send = target.protocol === "https:" ? request : httpRequest;
      const req = send(target, { method: "GET", ca, timeout: 5000 }, (res) => {
        res.resume();
        resolve((res.statusCode ?? 500) < 300);
      });
      req.on("error", () => resolve(false));
      req.on("timeout", () => {
        req.destroy();
        resolve(false);
      });
      req.end();
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not become ready within ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
