/**
 * The marketplace emulator of the local sandbox: SaaS Fulfillment API v2 under `/api`, the
 * purchase page and home page, and the test/control API under `/sandbox-api/`.
 * State lives in `<dataDir>/marketplace-state.json` and survives restarts.
 */
import type { IdentityProvider, MarketplaceEmulator, SandboxOptions } from "../types";
import { createTokenVerifier } from "./auth";
import { CallLog } from "./call-log";
import type { MarketplaceContext } from "./context";
import { FaultRegistry } from "./faults";
import { DEFAULT_SETTINGS, type EmulatorSettings } from "./model";
import { type CompletionPolicy, OperationEngine } from "./operations";
import { createRouter } from "./router";
import { MarketplaceStore } from "./store";

export type { EmulatorSettings } from "./model";
export type { CompletionPolicy, Settlement } from "./operations";

export interface MarketplaceEmulatorOptions extends SandboxOptions {
  idp: IdentityProvider;
  /** Initial timings (they can also be changed at run time via POST /sandbox-api/settings). */
  settings?: Partial<EmulatorSettings>;
  /** How operations end when the ISV does not acknowledge them first (see operations.ts). */
  completionPolicy?: CompletionPolicy;
}

export async function createMarketplaceEmulator(options: MarketplaceEmulatorOptions): Promise<MarketplaceEmulator> {
  const store = await MarketplaceStore.open(options.dataDir);
  const settings: EmulatorSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const engine = new OperationEngine(store, options.catalog, settings, options.completionPolicy);
  const ctx: MarketplaceContext = {
    options,
    store,
    settings,
    engine,
    faults: new FaultRegistry(),
    calls: new CallLog(),
    purchases: { store, catalog: options.catalog, directory: options.directory, landingUrl: options.landingUrl },
    verifyToken: createTokenVerifier({ idp: options.idp, directory: options.directory }),
  };
  engine.resumePending();

  return {
    handle: createRouter(ctx),
    async close() {
      await engine.close();
      await store.flush();
    },
  };
}
