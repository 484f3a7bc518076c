/** Everything the emulator's handlers share, built once in index.ts. */
import type { IdentityProvider, SandboxOptions } from "../types";
import type { PublisherCaller } from "./auth";
import type { CallLog } from "./call-log";
import type { FaultRegistry } from "./faults";
import type { EmulatorSettings } from "./model";
import type { OperationEngine } from "./operations";
import type { PurchaseDeps } from "./purchases";
import type { MarketplaceStore } from "./store";
import type { UsageLedger } from "./usage-ledger";
import type { WebhookDispatcher } from "./webhooks";
import { completeDueActivation } from "./subscription-rules";

export interface MarketplaceContext {
  options: SandboxOptions & { idp: IdentityProvider };
  store: MarketplaceStore;
  /** Usage events accepted by the Metering API. */
  usage: UsageLedger;
  settings: EmulatorSettings;
  engine: OperationEngine;
  webhooks: WebhookDispatcher;
  /** The webhook URL from the options (what `webhookUrl: null` in the settings goes back to). */
  defaultWebhookUrl: string;
  faults: FaultRegistry;
  calls: CallLog;
  purchases: PurchaseDeps;
  verifyToken(authorization: string | undefined): Promise<PublisherCaller>;
}

/**
 * Delayed activations become `Subscribed` lazily, when anything next reads the state. That needs
 * no timers and survives restarts: the due time is in the state file.
 */
export async function completeDueActivations(ctx: MarketplaceContext): Promise<void> {
  const now = new Date();
  let changed = false;
  for (const subscription of ctx.store.listSubscriptions()) {
    if (completeDueActivation(subscription, now)) changed = true;
  }
  if (changed) await ctx.store.persist();
}
