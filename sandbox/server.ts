import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveFavicon } from "./favicon";
import { createIdentityProvider } from "./idp/index";
import { createInbox } from "./inbox/index";
import { parseCatalog } from "./marketplace/catalog-schema";
import { createMarketplaceEmulator, type VariantRequest } from "./marketplace/index";
import { createSampleProduct } from "./product/index";
import { ensureSandboxTls } from "./tls";
import type { Catalog, Directory, SandboxOptions } from "./types";

const configDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "config");

export function loadDirectory(): Directory {
  return JSON.parse(readFileSync(path.join(configDir, "directory.json"), "utf8")) as Directory;
}
export function loadCatalog(): Catalog {
  return parseCatalog(JSON.parse(readFileSync(path.join(configDir, "catalog.json"), "utf8")));
}

export interface StartSandboxOptions {
  port: number;
  host?: string;
  dataDir: string;
  portalUrl: string;
  landingPath?: string;
  /** Where the marketplace emulator sends webhooks; default `${portalUrl}/api/marketplace/webhook`. */
  webhookUrl?: string;
  /**
   * Marketplace variants to play from the start (sandbox/marketplace/variants.ts): names or
   * "all"; none by default. Changeable at run time through /sandbox-api/variants.
   */
  variants?: VariantRequest;
  /** The inbox's SMTP port (sandbox/inbox); 0 (the default) = any free port. `npm run sandbox` uses 2525. */
  smtpPort?: number;
}

export interface RunningSandbox {
  baseUrl: string;
  caPath: string;
  /** Where the inbox's SMTP server listens (on `host`). */
  smtpPort: number;
  options: SandboxOptions;
  close(): Promise<void>;
}

export async function startSandbox(start: StartSandboxOptions): Promise<RunningSandbox> {
  const host = start.host ?? "localhost";
  const dataDir = path.resolve(start.dataDir);
  const tls = ensureSandboxTls(dataDir);
  const baseUrl = `https://${host}:${start.port}`;
  const options: SandboxOptions = {
    baseUrl,
    dataDir,
    portalUrl: start.portalUrl.replace(/\/$/, ""),
    landingUrl: start.portalUrl.replace(/\/$/, "") + (start.landingPath ?? "/landing"),
    webhookUrl: start.webhookUrl ?? `${start.portalUrl.replace(/\/$/, "")}/api/marketplace/webhook`,
    directory: loadDirectory(),
    catalog: loadCatalog(),
  };
  const idp = await createIdentityProvider(options);
  const marketplace = await createMarketplaceEmulator({
    ...options,
    idp,
    ...(start.variants ? { variants: start.variants } : {}),
  });

  // The ISV's product as the portal meets it: hand-off and events (sandbox/product/README.md).
  const product = await createSampleProduct({ baseUrl, dataDir, portalUrl: options.portalUrl });

  // Where the portal's mails and its Teams/Slack alerts land (sandbox/inbox/README.md).
  const listenHost = host === "localhost" ? "127.0.0.1" : host;
  const inbox = await createInbox({ baseUrl, dataDir, tls, smtpPort: start.smtpPort ?? 0, host: listenHost });

  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    void (async () => {
      try {
        if (serveFavicon(req, res)) return;
        if (await product.handle(req, res)) return;
        if (await idp.control?.(req, res)) return;
        if (await inbox.handle(req, res)) return;
        if (await marketplace.handle(req, res)) return;
        if (await idp.handle(req, res)) return;
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ error: { code: "NotFound", message: `No sandbox route for ${req.method} ${req.url}` } }),
        );
      } catch (error) {
        console.error("[sandbox] unhandled error", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "InternalServerError", message: "Sandbox error" } }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(start.port, listenHost, () => resolve());
  });
  return {
    baseUrl,
    caPath: tls.caPath,
    smtpPort: inbox.smtpPort,
    options,
    async close() {
      await marketplace.close?.();
      await product.close();
      await inbox.close();
      await idp.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
