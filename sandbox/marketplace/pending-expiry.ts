/**
 * Variant pending-expiry: a purchase left `PendingFulfillmentStart` (never activated, no activation
 * under way) for longer than `pendingExpiryMs` is ended by "Microsoft": an `Unsubscribe` from the
 * marketplace side (`source: Azure`), applied at once and notified with its webhook, as a customer's
 * cancellation before activation is (marketplace-contract.md §4.6, §15.10). Microsoft does not
 * document such an expiry, nor its window. A sweep runs every `PENDING_SWEEP_MS` while the emulator
 * is open; it acts only while the variant is on, and after a restart catches up at once.
 */
import type { OperationEngine } from "./operations";
import type { MarketplaceStore } from "./store";
import type { Variants } from "./variant-hooks";
import type { EmulatorSettings } from "./model";

export const PENDING_SWEEP_MS = 250;

export async function expireDuePurchases(
  deps: { store: MarketplaceStore; engine: OperationEngine; variants: Variants; settings: EmulatorSettings },
  now = new Date(),
): Promise<string[]> {
  if (!deps.variants.expiresPendingPurchases()) return [];
  const due = deps.store
    .listSubscriptions()
    .filter(
      (s) =>
        s.status === "PendingFulfillmentStart" &&
        !s.activationDueAt &&
        Date.parse(s.created) + deps.settings.pendingExpiryMs <= now.getTime(),
    );
  for (const subscription of due) {
    await deps.engine.startMarketplaceAction(subscription, {
      action: "Unsubscribe",
      planId: subscription.planId,
      quantity: subscription.quantity,
    });
  }
  return due.map((s) => s.id);
}

/** Starts the sweep; the returned function stops it. */
export function startPendingExpiry(deps: Parameters<typeof expireDuePurchases>[0]): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    expireDuePurchases(deps)
      .catch((error: unknown) => console.error("[marketplace] pending-expiry sweep failed", error))
      .finally(() => {
        running = false;
      });
  }, PENDING_SWEEP_MS);
  timer.unref();
  return () => clearInterval(timer);
}
