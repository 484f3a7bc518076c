/**
 * Starts the identity provider alone inside a real node:https server on a free port, with the
 * sandbox CA in a temporary data directory. For tests of sandbox/idp. `plainHttp` serves it on
 * http://127.0.0.1 instead (a developer's own emulator, as the portal's loopback path meets it).
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir } from "../../../tests/support/temp-dirs";
import { ensureSandboxTls } from "../../tls";
import type { Catalog, Directory, IdentityProvider, SandboxOptions } from "../../types";
import { createIdentityProvider } from "../index";

const configDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../config");

export function seededDirectory(): Directory {
  return JSON.parse(readFileSync(path.join(configDir, "directory.json"), "utf8")) as Directory;
}

export interface TestIdp {
  baseUrl: string;
  /** host:port, for MSAL's knownAuthorities. */
  host: string;
  ca: string;
  caPath: string;
  dataDir: string;
  portalUrl: string;
  options: SandboxOptions;
  idp: IdentityProvider;
  /** Stops the server. A data directory it made itself is removed when the test file ends. */
  close(): Promise<void>;
}

export async function startTestIdp(
  settings: { dataDir?: string; portalUrl?: string; plainHttp?: boolean } = {},
): Promise<TestIdp> {
  const dataDir = settings.dataDir ?? makeTempDir("sandbox-idp-");
  const portalUrl = settings.portalUrl ?? "http://localhost:3000";
  const tls = ensureSandboxTls(dataDir);
  let idp: IdentityProvider | undefined;

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        if (idp && ((await idp.control?.(req, res)) || (await idp.handle(req, res)))) return;
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "not_found", path: req.url }));
      } catch (error) {
        console.error("[test idp] unhandled error", error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "server_error" }));
      }
    })();
  };
  const server = settings.plainHttp
    ? createHttpServer(listener)
    : createServer({ key: tls.key, cert: tls.cert }, listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = settings.plainHttp ? `http://127.0.0.1:${port}` : `https://localhost:${port}`;
  const options: SandboxOptions = {
    baseUrl,
    dataDir,
    portalUrl,
    landingUrl: `${portalUrl}/landing`,
    directory: seededDirectory(),
    catalog: JSON.parse(readFileSync(path.join(configDir, "catalog.json"), "utf8")) as Catalog,
  };
  idp = await createIdentityProvider(options);
  const started = idp;

  return {
    baseUrl,
    host: new URL(baseUrl).host,
    ca: readFileSync(tls.caPath, "utf8"),
    caPath: tls.caPath,
    dataDir,
    portalUrl,
    options,
    idp: started,
    async close() {
      await started.close?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
