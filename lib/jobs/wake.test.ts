import { describe, expect, it, vi } from "vitest";

describe("wakeWorkers", () => {
  it("reaches a worker that loaded its own copy of the module (Next bundles instrumentation and routes separately)", async () => {
    const workerSide = await import("./wake");
    vi.resetModules(); // a second, independent module instance, as in another bundle
    const routeSide = await import("./wake");
    expect(routeSide).not.toBe(workerSide);

    const woken = vi.fn();
    const stop = workerSide.onWake(woken);
    routeSide.wakeWorkers();
    expect(woken).toHaveBeenCalledTimes(1);
    stop();
    routeSide.wakeWorkers();
    expect(woken).toHaveBeenCalledTimes(1);
  });
});
