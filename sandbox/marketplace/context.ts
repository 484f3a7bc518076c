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
import type { UsageReconciliations } from "./usage-reconciliation";
import type { Variants } from "./variant-hooks";
import type { WebhookDispatcher } from "./webhooks";
import { completeDueActivation } from "./subscription-rules";

export interface MarketplaceContext {
  options: SandboxOptions & { idp: IdentityProvider };
  store: MarketplaceStore;
  /** Usage events accepted by the Metering API. */
  usage: UsageLedger;
  /** What GET /usageEvents reports other than "Accepted" (set through the control API). */
  usageReconciliations: UsageReconciliations;
  settings: EmulatorSettings;
  /** The enabled variants (variants.ts) and the hooks through which they act. */
  variants: Variants;
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
 * Delayed activations become `Subscribed`, and delayed changes (variant delayed-apply) reach
 * their subscription, lazily, when anything next reads the state. That needs no timers and
 * survives restarts: the due times are in the state file.
 */
export async function completeDueChanges(ctx: MarketplaceContext): Promise<void> {
  const now = new Date();
  let changed = ctx.engine.applyDueChanges(now);
  for (const subscription of ctx.store.listSubscriptions()) {
    if (completeDueActivation(subscription, now)) changed = true;
  }
  if (changed) await ctx.store.persist();
}
