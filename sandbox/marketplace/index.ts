/**
 * The marketplace emulator of the local sandbox: SaaS Fulfillment API v2 and the Metering API under `/api`, the
 * purchase page, home page and subscription pages, the test/control API under `/sandbox-api/`,
 * and Microsoft's side of the webhook (POSTs to the portal for every operation).
 * State lives in `<dataDir>/marketplace-state.json` and survives restarts.
 */
import type { IdentityProvider, MarketplaceEmulator, SandboxOptions } from "../types";
import { createTokenVerifier } from "./auth";
import { CallLog } from "./call-log";
import type { MarketplaceContext } from "./context";
import { FaultRegistry } from "./faults";
import { DEFAULT_SETTINGS, DEFAULT_WEBHOOK_PATH, type EmulatorSettings } from "./model";
import { OperationEngine } from "./operations";
import { createRouter } from "./router";
import { MarketplaceStore } from "./store";
import { UsageLedger } from "./usage-ledger";
import { UsageReconciliations } from "./usage-reconciliation";
import { Variants } from "./variant-hooks";
import { startPendingExpiry } from "./pending-expiry";
import { requireVariants, type VariantRequest } from "./variants";
import { WebhookDispatcher } from "./webhooks";

export type { EmulatorSettings } from "./model";
export type { Settlement } from "./operations";
export type { VariantName, VariantRequest } from "./variants";

export interface MarketplaceEmulatorOptions extends SandboxOptions {
  idp: IdentityProvider;
  /** Initial timings (they can also be changed at run time via POST /sandbox-api/settings). */
  settings?: Partial<EmulatorSettings>;
  /** Variants to play from the start (variants.ts); none by default. An unknown name fails the start. */
  variants?: VariantRequest;
}

/** `options.webhookUrl`, or the portal's webhook route. */
export function defaultWebhookUrl(options: Pick<SandboxOptions, "portalUrl" | "webhookUrl">): string {
  return options.webhookUrl ?? `${options.portalUrl.replace(/\/$/, "")}${DEFAULT_WEBHOOK_PATH}`;
}

export async function createMarketplaceEmulator(options: MarketplaceEmulatorOptions): Promise<MarketplaceEmulator> {
  const enabledVariants = requireVariants(options.variants ?? []);
  const store = await MarketplaceStore.open(options.dataDir);
  const usage = await UsageLedger.open(
    options.dataDir,
    (event) => store.getSubscription(event.resourceId) !== undefined,
  );
  const webhookUrl = defaultWebhookUrl(options);
  const settings: EmulatorSettings = { ...DEFAULT_SETTINGS, webhookUrl, ...options.settings };
  const variants = new Variants(settings, enabledVariants);
  const webhooks = new WebhookDispatcher({ store, settings, idp: options.idp, directory: options.directory, variants });
  const engine = new OperationEngine(store, options.catalog, settings, webhooks, variants);
  const ctx: MarketplaceContext = {
    options,
    store,
    usage,
    usageReconciliations: new UsageReconciliations(),
    settings,
    variants,
    engine,
    webhooks,
    defaultWebhookUrl: webhookUrl,
    faults: new FaultRegistry(),
    calls: new CallLog(),
    purchases: {
      store,
      catalog: options.catalog,
      directory: options.directory,
      landingUrl: options.landingUrl,
      engine,
    },
    verifyToken: createTokenVerifier({ idp: options.idp, directory: options.directory }),
  };
  engine.resumePending();
  const stopPendingExpiry = startPendingExpiry({ store, engine, variants, settings });

  return {
    handle: createRouter(ctx),
    async close() {
      stopPendingExpiry();
      await engine.close();
      await store.flush();
      await usage.flush();
    },
  };
}
