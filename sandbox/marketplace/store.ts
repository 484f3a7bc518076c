/**
 * In-memory state of the emulator, mirrored to `<dataDir>/marketplace-state.json`.
 * Writes are serialized (one at a time, each with the latest snapshot) and atomic
 * (temp file + rename), so a crash never leaves a half-written file behind.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  emptyState,
  marketplaceStateSchema,
  type MarketplaceState,
  type StoredDelivery,
  type StoredOperation,
  type StoredPurchaseToken,
  type StoredSubscription,
} from "./model";

export const STATE_FILE_NAME = "marketplace-state.json";
/** Expired purchase tokens are kept a while so Resolve can say "expired" rather than "unknown". */
const EXPIRED_TOKEN_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Finished webhook deliveries kept for inspection; older ones are dropped (pending ones never). */
const FINISHED_DELIVERY_RETENTION = 2000;

export class MarketplaceStore {
  private writeChain: Promise<void> = Promise.resolve();
  private queuedWrite: Promise<void> | undefined;

  private constructor(
    private readonly filePath: string,
    private readonly state: MarketplaceState,
  ) {}

  static async open(dataDir: string): Promise<MarketplaceStore> {
    await mkdir(dataDir, { recursive: true });
    const filePath = path.join(dataDir, STATE_FILE_NAME);
    const store = new MarketplaceStore(filePath, await loadState(filePath));
    store.pruneExpiredTokens(new Date());
    return store;
  }

  // Subscriptions ------------------------------------------------------------------------------

  /** Subscription ids are GUIDs and compared case-insensitively, as Azure does. */
  getSubscription(id: string): StoredSubscription | undefined {
    const wanted = id.toLowerCase();
    return this.state.subscriptions.find((s) => s.id === wanted);
  }

  /** All subscriptions in a stable order (creation time, then id): the order List pages through. */
  listSubscriptions(): StoredSubscription[] {
    return [...this.state.subscriptions].sort((a, b) => compare(a.created, b.created) || compare(a.id, b.id));
  }

  addSubscription(subscription: StoredSubscription): void {
    this.state.subscriptions.push(subscription);
  }

  // Operations ---------------------------------------------------------------------------------

  getOperation(subscriptionId: string, operationId: string): StoredOperation | undefined {
    const sub = subscriptionId.toLowerCase();
    const op = operationId.toLowerCase();
    return this.state.operations.find((o) => o.subscriptionId === sub && o.id === op);
  }

  operationsOf(subscriptionId: string): StoredOperation[] {
    const sub = subscriptionId.toLowerCase();
    return this.state.operations
      .filter((o) => o.subscriptionId === sub)
      .sort((a, b) => compare(a.timeStamp, b.timeStamp));
  }

  inProgressOperations(): StoredOperation[] {
    return this.state.operations.filter((o) => o.status === "InProgress");
  }

  /** Succeeded operations whose change has yet to reach the subscription (variant delayed-apply). */
  operationsAwaitingApplication(): StoredOperation[] {
    return this.state.operations.filter((o) => o.applyDueAt !== undefined);
  }

  addOperation(operation: StoredOperation): void {
    this.state.operations.push(operation);
  }

  /** Operations of every subscription, in the order they were raised. */
  listOperations(): StoredOperation[] {
    return [...this.state.operations].sort((a, b) => compare(a.timeStamp, b.timeStamp));
  }

  // Webhook deliveries -------------------------------------------------------------------------

  getDelivery(id: string): StoredDelivery | undefined {
    const wanted = id.toLowerCase();
    return this.state.deliveries.find((d) => d.id === wanted);
  }

  /** Deliveries in the order they were created, optionally of one subscription and/or operation. */
  listDeliveries(
    filter: { subscriptionId?: string | undefined; operationId?: string | undefined } = {},
  ): StoredDelivery[] {
    const sub = filter.subscriptionId?.toLowerCase();
    const op = filter.operationId?.toLowerCase();
    return this.state.deliveries
      .filter((d) => (sub === undefined || d.subscriptionId === sub) && (op === undefined || d.operationId === op))
      .sort((a, b) => compare(a.createdAt, b.createdAt) || compare(a.id, b.id));
  }

  pendingDeliveries(): StoredDelivery[] {
    return this.state.deliveries.filter((d) => d.outcome === "pending");
  }

  addDelivery(delivery: StoredDelivery): void {
    this.state.deliveries.push(delivery);
    const finished = this.state.deliveries.filter((d) => d.outcome !== "pending");
    if (finished.length > FINISHED_DELIVERY_RETENTION) {
      const drop = new Set(
        finished
          .sort((a, b) => compare(a.createdAt, b.createdAt))
          .slice(0, finished.length - FINISHED_DELIVERY_RETENTION),
      );
      this.state.deliveries = this.state.deliveries.filter((d) => !drop.has(d));
    }
  }

  // Purchase tokens ----------------------------------------------------------------------------

  findPurchaseToken(sha256: string): StoredPurchaseToken | undefined {
    return this.state.purchaseTokens.find((t) => t.sha256 === sha256);
  }

  addPurchaseToken(token: StoredPurchaseToken): void {
    this.state.purchaseTokens.push(token);
  }

  private pruneExpiredTokens(now: Date): void {
    const cutoff = now.getTime() - EXPIRED_TOKEN_RETENTION_MS;
    this.state.purchaseTokens = this.state.purchaseTokens.filter((t) => Date.parse(t.expiresAt) > cutoff);
  }

  // Persistence --------------------------------------------------------------------------------

  /**
   * Queues a write of the current state and resolves once it is on disk. Callers mutate the
   * objects returned above, then await this before answering, so a 2xx means "persisted".
   */
  persist(): Promise<void> {
    // A write that has not started yet will serialize this change too: share it instead of queuing
    // another full write (a burst of webhook attempts or operation steps costs one or two writes).
    if (this.queuedWrite) return this.queuedWrite;
    const next = this.writeChain.then(() => {
      this.queuedWrite = undefined;
      return this.writeNow();
    });
    this.queuedWrite = next;
    // Keep the chain alive after a failed write; the caller still sees the error.
    this.writeChain = next.catch((error: unknown) => {
      console.error("[marketplace] could not write state", error);
    });
    return next;
  }

  /** Waits for queued writes (used on shutdown). */
  async flush(): Promise<void> {
    await this.writeChain;
  }

  private async writeNow(): Promise<void> {
    const tempPath = `${this.filePath}.${process.pid}.${randomUUID()}.tmp`;
    await writeFile(tempPath, JSON.stringify(this.state) + "\n", "utf8");
    await rename(tempPath, this.filePath);
  }
}

/** Plain code-unit order (not locale order): continuation tokens compare the same way. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function loadState(filePath: string): Promise<MarketplaceState> {
  if (!existsSync(filePath)) return emptyState();
  const text = await readFile(filePath, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return setAside(filePath, "is not valid JSON");
  }
  const parsed = marketplaceStateSchema.safeParse(raw);
  if (!parsed.success) return setAside(filePath, `does not match the expected shape: ${parsed.error.message}`);
  return parsed.data;
}

/** A broken state file must not stop the sandbox: keep it for inspection and start empty. */
async function setAside(filePath: string, reason: string): Promise<MarketplaceState> {
  const aside = `${filePath}.broken-${Date.now()}`;
  await rename(filePath, aside);
  console.warn(`[marketplace] ${filePath} ${reason}; moved it to ${aside} and started with an empty state`);
  return emptyState();
}
