import { EventEmitter } from "node:events";

/**
 * In-process signal: new work was committed, don't wait for the next poll. Kept on globalThis:
 * Next.js bundles route handlers, server actions and instrumentation (where the worker runs)
 * separately, each with its own copy of this module, and they must share one signal.
 */
const KEY = Symbol.for("marketplace-portal.jobs.wake");
const holder = globalThis as typeof globalThis & { [KEY]?: EventEmitter };
const signal = (holder[KEY] ??= new EventEmitter().setMaxListeners(50));

export function wakeWorkers() {
  signal.emit("wake");
}

export function onWake(listener: () => void): () => void {
  signal.on("wake", listener);
  return () => signal.off("wake", listener);
}
