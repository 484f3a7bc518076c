import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { makeTempDir } from "../../tests/support/temp-dirs";
import { MarketplaceStore } from "./store";

const token = (i: number) => ({
  sha256: `token-${i}`,
  subscriptionId: "s",
  createdAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
});

describe("MarketplaceStore.persist", () => {
  it("folds a burst of changes into the write that has not started yet, and every change reaches the disk", async () => {
    const dataDir = makeTempDir("store-");
    const store = await MarketplaceStore.open(dataDir);
    const write = vi.spyOn(store as unknown as { writeNow: () => Promise<void> }, "writeNow");
    const writes: Array<Promise<void>> = [];
    for (let i = 0; i < 50; i += 1) {
      store.addPurchaseToken(token(i));
      writes.push(store.persist());
    }
    await Promise.all(writes);
    expect(write).toHaveBeenCalledTimes(1);
    store.addPurchaseToken(token(50));
    await store.persist();
    expect(write).toHaveBeenCalledTimes(2);
    const onDisk = JSON.parse(readFileSync(path.join(dataDir, "marketplace-state.json"), "utf8")) as {
      purchaseTokens: Array<{ sha256: string }>;
    };
    expect(onDisk.purchaseTokens.map((stored) => stored.sha256)).toEqual(
      Array.from({ length: 51 }, (_, i) => `token-${i}`),
    );
  });
});
