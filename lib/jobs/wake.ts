import { EventEmitter } from "node:events";

/** In-process signal: new work was committed, don't wait for the next poll. */
const signal = new EventEmitter();
signal.setMaxListeners(50);

export function wakeWorkers() {
  signal.emit("wake");
}

export function onWake(listener: () => void): () => void {
  signal.on("wake", listener);
  return () => signal.off("wake", listener);
}
