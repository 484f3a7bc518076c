/**
 * Variant reordered-webhooks: the bookkeeping that sends webhooks out of order. A new delivery is
 * held for a while; a newer delivery for the same subscription that comes while an older one is
 * held is sent at once, and the older ones follow once its first attempt is over. So the portal
 * receives, say, Reinstate before the Suspend that came first. Memory only: after a restart,
 * held deliveries simply go out at their `nextAttemptAt`.
 */
import type { StoredDelivery } from "./model";

export type Admission = { hold: true } | { hold: false; overtakes: StoredDelivery[] };

export class DeliveryHold {
  private readonly held = new Map<string, StoredDelivery>();
  /** Newer delivery id → the older ones it overtook, to be sent after its first attempt. */
  private readonly overtaken = new Map<string, StoredDelivery[]>();

  /** A new delivery: held (nothing of its subscription is), or sent now ahead of the held ones. */
  admit(delivery: StoredDelivery): Admission {
    const older = [...this.held.values()].filter((d) => d.subscriptionId === delivery.subscriptionId);
    if (older.length === 0) {
      this.held.set(delivery.id, delivery);
      return { hold: true };
    }
    for (const d of older) this.held.delete(d.id);
    this.overtaken.set(delivery.id, older);
    return { hold: false, overtakes: older };
  }

  /** The delivery's hold time is over (or it is being sent for another reason). */
  release(delivery: StoredDelivery): void {
    this.held.delete(delivery.id);
  }

  /** The delivery's first attempt is over: the older deliveries it overtook, now due. */
  takeOvertaken(delivery: StoredDelivery): StoredDelivery[] {
    const older = this.overtaken.get(delivery.id) ?? [];
    this.overtaken.delete(delivery.id);
    return older;
  }

  clear(): void {
    this.held.clear();
    this.overtaken.clear();
  }
}
